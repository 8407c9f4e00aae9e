"""Demo participants: about forty fictional people across the two demo peers, with plans, goals and consents
in realistic states. Idempotent: a participant already there (same name and birth date) is left alone.

``seed_notes`` then writes a year of session notes for the demo caseloads (bulk inserts, so it stays fast).
"""

from __future__ import annotations

import datetime
import random

import pghistory
from django.db import connection, transaction

from clients import services
from clients.models import (
    ActionStep,
    CaseAssignment,
    Client,
    Consent,
    Dimension,
    FollowUp,
    Goal,
    GoalProgress,
    GroupSession,
    NoteAddendum,
    NoteGoal,
    NoteService,
    RecoveryPlan,
    ServiceCode,
    SessionNote,
    SupportService,
)
from clients.models.notes import session_ended_at
from clients.note_defaults import service_codes_load_defaults, support_services_load_defaults
from clients.services.notes import note_crisis_notify
from clients.units import Usage, staff_flag, units_capped, units_for_minutes

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
# Each goal's own action steps (same order as GOALS): what a peer and a participant would plan for it.
GOAL_STEPS = [
    [("Call the housing authority about the waiting list", "participant"),
     ("Gather ID, income letter and references for the application", "participant"),
     ("Visit two apartments on the bus line together", "peer")],
    [("Look up meeting times near the bus line", "participant"),
     ("Go to the Thursday evening meeting together", "peer"),
     ("Ask someone at the meeting to be a sponsor", "participant")],
    [("Ask the court clerk what is needed to reinstate the license", "participant"),
     ("Drive to the DMV together", "peer")],
    [("Fill out two job applications", "participant"),
     ("Practise interview answers", "peer"),
     ("Ask the workforce center about the ServSafe course", "other")],
    [("Write a letter to my daughter (not sent yet)", "participant"),
     ("Talk with the family counselor about a first visit", "other")],
    [("Walk around the block every morning before coffee", "participant"),
     ("No screens after 10 pm for a week; note how sleep goes", "participant"),
     ("Bring the sleep log to our next meeting", "peer")],
    [("Bring the GED schedule to our next meeting", "peer"),
     ("Sign up for the Tuesday evening class", "participant"),
     ("Take the practice math test at the library", "participant")],
    [("Call the pastor to say I'd like to come back", "participant"),
     ("Go to the Sunday service with my sister", "participant")],
    [("Ask the case manager about the fines payment plan", "other"),
     ("Set aside $20 from each paycheck", "participant")],
    [("List three things that help when stress builds", "participant"),
     ("Practise the breathing exercise twice a day", "participant"),
     ("Call the peer line instead of the old friends when it gets hard", "participant")],
]
STEPS = [step for steps in GOAL_STEPS for step in steps]
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
    dims = {d.code: d for d in Dimension.objects.filter(program=ctx.program)}
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
        "goals": rng.sample(range(len(GOALS)), 1 + rng.randrange(3)), "steps": rng.sample(range(6), 2),
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
    # The record and its first assignment date from the intake, as if entered then (not today).
    intake_moment = datetime.datetime.combine(started, datetime.time(10), tzinfo=ctx.program.zone)
    Client.objects.filter(pk=client.pk).update(created_at=intake_moment)
    CaseAssignment.objects.filter(client=client, ended_at__isnull=True).update(started_at=intake_moment)
    if peer is None:
        return
    if index == 4:
        _plan(client, peer, started, profile, today, dims)
        services.episode_discharge(client=client, by=peer, discharged_on=today - datetime.timedelta(days=150),
                                   reason="lost_contact")
        started = today - datetime.timedelta(days=40)
        services.episode_open(client=client, by=peer, started_on=started, referral_source="self",
                              referral_detail="Came back on their own")
    _consent(client, peer, index, started, profile, today)
    _plan(client, peer, started, profile, today, dims)
    if index == 36:  # finished their goals and moved on
        services.episode_discharge(client=client, by=peer, discharged_on=today - datetime.timedelta(days=3),
                                   reason="completed", note="Moved on, doing well.")


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
        steps = GOAL_STEPS[goal_index]
        # Two to all of the goal's steps; the first done a while ago on some goals.
        for position, (what, who) in enumerate(steps[:2 + profile["steps"][0] % (len(steps) - 1)]):
            done = today - datetime.timedelta(days=2 + 5 * profile["steps"][1]) \
                if position == 0 and (goal_index + profile["steps"][1]) % 2 == 0 else None
            step = ActionStep(description=what, who=who, who_detail="Case manager" if who == "other" else "",
                              due_on=today + datetime.timedelta(days=7 * (position + 1) + profile["steps"][1]),
                              done_on=done)
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


# --- A year of session notes -------------------------------------------------------------------------------

SUMMARIES = [
    "Met at the library and worked through the housing application together.",
    "Checked in about the week; talked through a hard moment at work and what helped.",
    "Practised what to say at Thursday's job interview.",
    "Went over the recovery plan and picked one small step for this week.",
    "Drove to the DMV together to ask about getting the license back.",
    "Talked about staying connected with the meeting group over the holidays.",
    "Looked up the bus routes to the new clinic and planned the trip.",
    "Shared some of my own early recovery; talked about what keeps them going.",
    "Called the food pantry and the utility assistance line together.",
    "Went over the week's wins and the cravings that came up, and what worked.",
]
RESPONSES = [
    "Engaged and hopeful; said the plan feels doable.", "Quiet at first, then opened up about stress at home.",
    "Proud of the progress; wants to keep the same day next week.",
    "Frustrated with the wait list but agreed to keep trying.", "Laughed a lot; said the walk helped.",
    "Tired, but showed up and stayed the whole time.",
]
NEXT_STEPS = ["Call the housing office together on Monday.", "Bring the GED schedule next time.",
              "Check in by phone midweek.", "Go to the Thursday meeting together.",
              "Follow up on the job application.", ""]
OUTREACH = ["Called twice and left a voicemail; no answer yet.",
            "Stopped by the shelter; they were out. Left a note with the front desk."]
ADDENDA = ["Correction: the appointment is at 2 pm, not 1 pm.",
           "Added: they called back later to say the application went in.",
           "Correction: the meeting was at the Main Street location."]
CRISES = ["Said they had thoughts of using again after a family loss; made a safety plan together and called "
          "their sponsor.", "Lost their room at the shelter; found a bed for tonight with the crisis line's help."]
CONTACTS = ["individual"] * 12 + ["phone"] * 4 + ["telehealth"] * 2 + ["outreach"]
SETTINGS = {"individual": ["office", "community", "home", "community"], "phone": ["remote"],
            "telehealth": ["remote"], "outreach": ["community"], "group": ["community"]}
LENGTHS = [20, 30, 45, 50, 60, 60, 75, 90]
QUIET = {1, 8, 15, 22}  # participants last reached five to eight weeks ago
DRAFTS = {0, 3, 6, 9, 12}  # the latest note is still a draft
CRISIS_AT = {5: 3, 12: 20}  # participant index: days ago (one recent enough for My day)


def seed_notes(ctx) -> None:
    """A year of notes for the demo caseloads, once: signed ones (a few late, some with addenda), a few drafts,
    two crisis flags, one group session, follow-ups done, open and overdue. Skipped when notes exist."""
    program = ctx.program
    if SessionNote.objects.filter(client__program=program).exists():
        return
    service_codes_load_defaults(ServiceCode, program)
    support_services_load_defaults(SupportService, program)
    rng = random.Random(5)
    clients = list(Client.objects.filter(program=program, primary_peer__isnull=False).order_by("name_key", "pk")
                   .prefetch_related("episodes"))
    goals: dict[int, list[int]] = {}
    for client_id, goal_id in Goal.objects.filter(plan__client__in=clients, plan__status="active",
                                                  status="active").values_list("plan__client_id", "pk"):
        goals.setdefault(client_id, []).append(goal_id)
    codes = {c.code: c for c in ServiceCode.objects.filter(program=program)}
    with transaction.atomic(), pghistory.context(url="seed_demo"):
        plans = [_note_plan(program, client, index, rng, codes) for index, client in enumerate(clients)]
        group = _group_plan(program, clients, codes)
        notes = SessionNote.objects.bulk_create([n for plan in [*plans, group] for n in plan], batch_size=500)
        _tags(program, notes, goals, rng)
        _sign(program, notes)
        _addenda_and_follow_ups(notes, rng)
        _notify_crises(program, notes)


def _note(program, client, day, rng, *, contact=None, minutes=None, **fields) -> SessionNote:
    contact = contact or rng.choice(CONTACTS)
    minutes = minutes or (rng.choice([5, 10]) if contact == "outreach" else rng.choice(LENGTHS))
    start = datetime.time(9 + rng.randrange(8), rng.choice([0, 15, 30, 45]))
    end = (datetime.datetime.combine(day, start) + datetime.timedelta(minutes=minutes)).time()
    summary = fields.pop("summary", None) or rng.choice(OUTREACH if contact == "outreach" else SUMMARIES)
    return SessionNote(
        client=client, author=client.primary_peer, session_date=day, start_time=start, end_time=end,
        duration_minutes=minutes, ended_at=session_ended_at(program.zone, day, start, end, minutes),
        contact_type=contact, setting=rng.choice(SETTINGS[contact]), service_code=fields.pop("code", None),
        summary=summary, response="" if contact == "outreach" else rng.choice(RESPONSES),
        next_steps=rng.choice(NEXT_STEPS), **fields)


def _note_plan(program, client, index, rng, codes) -> list[SessionNote]:
    """Roughly weekly contacts over each episode (within the last year), in date order."""
    today = program.today()
    code = codes["H0024" if index % 5 == 4 else "T1012"]
    last = today - datetime.timedelta(days=35 + rng.randrange(25)) if index in QUIET else today
    notes = []
    for episode in sorted(client.episodes.all(), key=lambda e: e.started_on):
        day = max(episode.started_on, today - datetime.timedelta(days=365)) + datetime.timedelta(days=rng.randrange(3))
        end = min(episode.discharged_on or last, last - datetime.timedelta(days=2))  # the last two days: drafts
        while day <= end:
            notes.append(_note(program, client, day, rng, code=code))
            day += datetime.timedelta(days=4 + rng.randrange(7))
    if index in DRAFTS and notes and index not in QUIET:
        notes.append(_note(program, client, today - datetime.timedelta(days=rng.randrange(2)), rng,
                           contact="individual", code=code))
    if index in CRISIS_AT and notes:
        crisis_day = today - datetime.timedelta(days=CRISIS_AT[index])
        notes.append(_note(program, client, crisis_day, rng, contact="individual", code=code, crisis_flag=True,
                           crisis_description=CRISES[sorted(CRISIS_AT).index(index)]))
    return sorted(notes, key=lambda n: n.ended_at)


def _group_plan(program, clients, codes) -> list[SessionNote]:
    """One group session of the first peer, ten days ago, with three of their participants."""
    members = [c for c in clients if c.primary_peer_id == clients[0].primary_peer_id and c.is_active][:3]
    day = program.today() - datetime.timedelta(days=10)
    group = GroupSession.objects.create(program=program, facilitator=members[0].primary_peer, session_date=day,
                                        topic="Coping with cravings over the holidays")
    rng = random.Random(7)
    return [_note(program, c, day, rng, contact="group", minutes=90, code=codes["S9445"], group=group,
                  summary="Group talked about the holidays: what triggers cravings and what each person will do.")
            for c in members]


def _tags(program, notes, goals, rng) -> None:
    services = list(SupportService.objects.filter(program=program, is_active=True))
    group_service = next(s for s in services if s.code == "peer_led_group")
    NoteGoal.objects.bulk_create([NoteGoal(note=n, goal_id=g) for n in notes if n.contact_type != "outreach"
                                  for g in rng.sample(goals.get(n.client_id, []),
                                                      min(len(goals.get(n.client_id, [])), 1 + rng.randrange(2)))],
                                 batch_size=1000)
    NoteService.objects.bulk_create([NoteService(note=n, service=s) for n in notes if n.contact_type != "outreach"
                                     for s in ([group_service] if n.group_id else rng.sample(services[:6], 2))],
                                    batch_size=1000)


def _is_draft(note, today) -> bool:
    return note.session_date >= today - datetime.timedelta(days=1) and note.group_id is None and not note.crisis_flag


def _sign(program, notes) -> None:
    """Sign all but the latest drafts, as note_sign would: capped units, late entries, billing checks."""
    today, rng = program.today(), random.Random(6)
    used_day: dict[tuple, int] = {}
    used_year: dict[tuple, int] = {}
    flags: dict[tuple, str] = {}
    signed = []
    for note in sorted(notes, key=lambda n: n.ended_at):
        if _is_draft(note, today):
            continue
        late = rng.random() < 0.06
        note.status, note.signed_by = SessionNote.Status.SIGNED, note.author
        note.signed_at = note.ended_at + datetime.timedelta(hours=50 + rng.randrange(60) if late else
                                                            1 + rng.randrange(20))
        note.late_entry = note.signed_at > note.sign_deadline(program)
        _units(program, note, used_day, used_year, flags)
        signed.append(note)
    _signatures_written(signed)


# One UPDATE for every note signed (bulk_update writes a CASE per field over each batch's rows: seconds for
# a year of notes, in Python). The rows' triggers run as for any signing.
SIGNATURES = """
UPDATE {table} AS n
SET status = %s, signed_by_id = s.signed_by_id, signed_at = s.signed_at, late_entry = s.late_entry,
    units_computed = s.units_computed, units_billable = s.units_billable, units_note = s.units_note,
    billing_flagged = s.billing_flagged, billing_flag_reason = s.billing_flag_reason
FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], %s::boolean[], %s::smallint[], %s::smallint[],
            %s::text[], %s::boolean[], %s::text[])
     AS s(id, signed_by_id, signed_at, late_entry, units_computed, units_billable, units_note, billing_flagged,
          billing_flag_reason)
WHERE n.id = s.id
"""


def _signatures_written(notes) -> None:
    fields = ["pk", "signed_by_id", "signed_at", "late_entry", "units_computed", "units_billable", "units_note",
              "billing_flagged", "billing_flag_reason"]
    with connection.cursor() as cursor:
        cursor.execute(SIGNATURES.format(table=connection.ops.quote_name(SessionNote._meta.db_table)),
                       [SessionNote.Status.SIGNED, *([getattr(n, f) for n in notes] for f in fields)])


def _units(program, note, used_day, used_year, flags) -> None:
    code = note.service_code
    note.units_computed = units_for_minutes(note.duration_minutes, unit_minutes=code.unit_minutes,
                                            rounding=program.unit_rounding)
    if note.contact_type == "outreach":
        note.units_billable, note.units_note = 0, "Outreach attempts are not billable."
        return
    day_key, year_key = (note.client_id, code.pk, note.session_date), (note.client_id, code.pk, note.session_date.year)
    usage = Usage(day=used_day.get(day_key, 0), year=used_year.get(year_key, 0))
    note.units_billable, reasons = units_capped(note.units_computed, code, usage, note.session_date)
    note.units_note = " ".join(reasons)[:300]
    used_day[day_key] = usage.day + note.units_billable
    used_year[year_key] = usage.year + note.units_billable
    key = (note.author_id, note.session_date)
    if key not in flags:
        flags[key] = staff_flag(note.author, program, note.session_date)
    note.billing_flagged, note.billing_flag_reason = bool(flags[key]), flags[key]


def _addenda_and_follow_ups(notes, rng) -> None:
    """Addenda on a few signed notes; a follow-up after every fourth contact (done in the next one), and one
    still open after each participant's latest note (some overdue, some due today, some ahead)."""
    signed = [n for n in notes if n.is_signed and n.contact_type != "outreach"]
    NoteAddendum.objects.bulk_create([NoteAddendum(note=n, author=n.author, text=ADDENDA[i % len(ADDENDA)])
                                      for i, n in enumerate(rng.sample(signed, 6))])
    by_client: dict[int, list[SessionNote]] = {}
    for note in sorted(notes, key=lambda n: n.ended_at):
        by_client.setdefault(note.client_id, []).append(note)
    rows = []
    for client_notes in by_client.values():
        for before, after in zip(client_notes[::4], client_notes[1::4], strict=False):
            if before.is_signed and after.is_signed:
                rows.append(FollowUp(client_id=before.client_id, due_on=after.session_date, assignee=before.author,
                                     purpose=before.next_steps or "Check in after the session.", from_note=before,
                                     status="done", done_in_note=after, closed_at=after.signed_at,
                                     closed_by=after.author, created_by=before.author))
        latest = client_notes[-1]
        if not latest.client.is_active:
            continue  # discharge closed their follow-ups
        due = latest.session_date + datetime.timedelta(days=rng.choice([0, 3, 7, 10, 14]))
        rows.append(FollowUp(client_id=latest.client_id, due_on=due, assignee=latest.author, created_by=latest.author,
                             purpose=latest.next_steps or "Check in about how the week went.", from_note=latest))
    FollowUp.objects.bulk_create(rows, batch_size=500)


def _notify_crises(program, notes) -> None:
    for note in notes:
        if note.crisis_flag:
            note_crisis_notify(note, program)
