"""Demo participants: about forty fictional people across the two demo peers, with plans, goals and consents
in realistic states. Idempotent: a participant already there (same name and birth date) is left alone.
"""

from __future__ import annotations

import datetime
import random

import pghistory
from django.db import transaction

from clients import services
from clients.models import ActionStep, Client, Consent, Dimension, Episode, GoalProgress, RecoveryPlan

# Fictional names (no real person is meant).
NAMES = [
    "Avery Holt", "Brianna Castillo", "Caleb Odom", "Danielle Pruitt", "Eli Whitaker", "Fatima Rahman",
    "Gavin McCrary", "Hope Lindqvist", "Isaiah Booker", "Jasmine Thornton", "Kendra Vásquez", "Logan Beasley",
    "Marisol Ortega", "Nathan Greer", "Olivia Mercer", "Preston Dade", "Quinn Albright", "Rachel Nguyen",
    "Samuel Kincaid", "Tanya Blevins", "Umar Haddad", "Valerie Sizemore", "Wesley Crabtree", "Ximena Duarte",
    "Yolanda Pettus", "Zachary Mullins", "Amber Ratliff", "Brandon Hensley", "Crystal Yates", "Derek Salyers",
    "Erin Fugate", "Felix Amador", "Gina Stacy", "Harold Combs", "Iris Delacroix", "Jamal Whitley",
    "Kayla Meadows", "Luis Ocampo", "Monique Tackett", "Noah Brantley",
]
PRONOUNS = ["he/him", "she/her", "they/them", "", "she/her", "he/him"]
GOALS = [
    ("I want a place of my own where I feel safe.", ["home", "environmental"]),
    ("Stay sober one day at a time and go to two meetings a week.", ["health", "community"]),
    ("Get my driver's license back.", ["purpose", "financial"]),
    ("Find a job I can keep, maybe in a kitchen.", ["purpose", "occupational", "financial"]),
    ("Reconnect with my daughter.", ["community", "social", "emotional"]),
    ("Sleep better and walk every morning.", ["health", "physical"]),
    ("Finish my GED.", ["purpose", "intellectual"]),
    ("Go back to church on Sundays.", ["community", "spiritual"]),
    ("Pay off my court fines.", ["financial"]),
    ("Learn to handle stress without using.", ["health", "emotional"]),
]
STEPS = [
    ("Call the housing authority about the waiting list", "participant"),
    ("Drive to the DMV together", "peer"),
    ("Look up meeting times near the bus line", "participant"),
    ("Ask the case manager about the fines payment plan", "other"),
    ("Fill out two job applications", "participant"),
    ("Bring the GED schedule to our next meeting", "peer"),
]
# Participants enrolled long ago (index: days): #2's consent expires this month, #4 was discharged and
# re-enrolled, #10's consent has expired.
LONG_STANDING = {2: 360, 4: 420, 10: 410}
REFERRALS = ["self", "treatment", "hospital", "justice", "family", "community"]
RECIPIENTS = [
    ("Valley Community Health, Dr. Patel (primary care)", "Coordinate physical health care", False),
    ("Blue Ridge Behavioral Health outpatient treatment team", "Coordinate substance use treatment", False),
    ("Participating providers for treatment, payment and health care operations", "Treatment and payment", True),
    ("Shenandoah Housing Authority, intake office", "Support the housing application", False),
]


def seed(ctx) -> None:
    """Create the demo participants that are missing, in a fixed order with a fixed random seed."""
    rng = random.Random(4)
    today = ctx.program.today()
    dims = {d.code: d for d in Dimension.objects.all()}
    for index, full_name in enumerate(NAMES):
        birth_date = datetime.date(1962 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
        profile = _profile(index, rng)
        if Client.objects.possible_duplicates(program_id=ctx.program.pk, full_name=full_name,
                                              birth_date=birth_date).exists():
            continue
        _seed_participant(ctx, index, full_name, birth_date, profile, today, dims)


def _profile(index: int, rng: random.Random) -> dict:
    """Everything random about one participant, drawn whether or not they are created (stable order)."""
    return {
        "days_in": 20 + rng.randrange(300), "pronouns": rng.choice(PRONOUNS), "referral": rng.choice(REFERRALS),
        "goals": rng.sample(range(len(GOALS)), 1 + rng.randrange(3)), "steps": rng.sample(range(len(STEPS)), 2),
        "recipient": rng.choice(RECIPIENTS), "review_in": rng.choice([-6, 9, 30, 45, 60, 75, 90]),
        "phone": f"540-555-{1000 + index * 37:04d}",
    }


def _seed_participant(ctx, index, full_name, birth_date, profile, today, dims) -> None:
    peer = None if index in (38, 39) else (ctx.peer if index % 2 == 0 else ctx.peer2)
    by = peer or ctx.supervisor
    # The history shows the peer (or, for those awaiting assignment, the supervisor) as the author.
    with transaction.atomic(), pghistory.context(user=by.pk, url="seed_demo"):
        _seed_record(ctx, index, full_name, birth_date, profile, today, dims, peer, by)


def _seed_record(ctx, index, full_name, birth_date, profile, today, dims, peer, by) -> None:
    started = today - datetime.timedelta(days=LONG_STANDING.get(index, profile["days_in"]))
    client = Client(full_name=full_name, birth_date=birth_date, pronouns=profile["pronouns"], phone=profile["phone"],
                    preferred_contact_method=Client.ContactMethod.TEXT if index % 3 else Client.ContactMethod.CALL,
                    emergency_contact_name="Family member (fictional)", emergency_contact_phone="540-555-0000")
    client = services.client_enrol(client=client, program_id=ctx.program.pk, by=by, peer=peer, started_on=started,
                                   referral_source=profile["referral"])
    if peer is None:
        return
    if index == 4:
        _plan(client, peer, started, profile, today, dims)
        services.episode_discharge(client=client, by=peer, discharged_on=today - datetime.timedelta(days=150),
                                   reason=Episode.DischargeReason.LOST_CONTACT)
        started = today - datetime.timedelta(days=40)
        services.episode_open(client=client, by=peer, started_on=started, referral_source="self",
                              referral_detail="Came back on their own")
    _consent(client, peer, index, started, profile, today)
    _plan(client, peer, started, profile, today, dims)
    if index == 36:  # finished their goals and moved on
        services.episode_discharge(client=client, by=peer, discharged_on=today - datetime.timedelta(days=3),
                                   reason=Episode.DischargeReason.COMPLETED, note="Moved on, doing well.")


def _plan(client, peer, started, profile, today, dims) -> RecoveryPlan:
    plan_day = min(started + datetime.timedelta(days=7), today)
    review_on = max(plan_day, today + datetime.timedelta(days=profile["review_in"]))
    draft = RecoveryPlan(started_on=plan_day, agreed_on=plan_day, review_on=review_on,
                         strengths="Honest about what is hard; a sense of humor.",
                         backup_plan="Call the peer line; stay with a sister for the night.")
    plan = services.plan_start(plan=draft, client=client, by=peer)
    for goal_index in profile["goals"]:
        text, codes = GOALS[goal_index]
        goal = services.goal_add(plan=plan, text=text, dimensions=[dims[c] for c in codes if c in dims])
        for position, step_index in enumerate(profile["steps"]):
            what, who = STEPS[step_index]
            done = today - datetime.timedelta(days=2) if position == 0 and goal_index % 2 == 0 else None
            step = ActionStep(description=what, who=who, who_detail="Case manager" if who == "other" else "",
                              due_on=today + datetime.timedelta(days=7 * (step_index + 1)), done_on=done)
            services.action_step_add(step=step, goal=goal)
        GoalProgress.objects.create(goal=goal, noted_on=plan_day, text="Talked it through; first step chosen.",
                                    author=peer)
    return plan


def _consent(client, peer, index, started, profile, today) -> None:
    recipients, purpose, tpo = RECIPIENTS[0] if index in LONG_STANDING else profile["recipient"]
    signed = started
    expires = signed + datetime.timedelta(days=365)
    if index == 2:  # expires within the month
        signed = today - datetime.timedelta(days=344)
        expires = today + datetime.timedelta(days=21)
    if index == 10:  # expired last month: a new one is due
        signed = today - datetime.timedelta(days=400)
        expires = today - datetime.timedelta(days=35)
    consent = Consent.objects.create(
        client=client, discloser="Blue Ridge Peer Recovery Services", information="Attendance, recovery plan goals "
        "and progress; no counselling notes.", recipients=recipients, purpose=purpose, is_tpo=tpo,
        redisclosure_notice=tpo, right_to_revoke_explained=True,
        expiry_event=Consent.ExpiryEvent.NONE if tpo else Consent.ExpiryEvent.DATE,
        expires_on=None if tpo else expires, signed_on=signed, created_by=peer,
    )
    if index == 6:  # the participant changed their mind
        services.consent_revoke(consent=consent, by=peer, revoked_on=max(signed, today - datetime.timedelta(days=10)),
                                method=Consent.RevocationMethod.ORALLY, note="Asked us to stop sharing with them.")
