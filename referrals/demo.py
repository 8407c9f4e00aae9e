"""Demo directory and referrals: about 60 fictional resources across every shipped category (some not
verified for a long time, a few never), and referrals of the demo participants in every status, with their
dated history and follow-ups. Idempotent: a program that already has entries (or referrals) is left alone.
"""

from __future__ import annotations

import datetime

from clients.models import Client, Goal
from referrals.defaults import categories_load
from referrals.models import Category, Referral, Resource
from referrals.models.referrals import Reason, Status
from referrals.services import referral_make, referral_update, resource_save

TOWNS = ["Staunton", "Waynesboro", "Harrisonburg", "Lexington"]
# (category code, [(organisation, service, cost, languages, accepts Medicaid, walk-in)]) — all fictional.
ENTRIES = {
    "housing": [("Valley Housing Partners", "Rapid rehousing", "free", "English; Spanish", False, False),
                ("Shenandoah Shelter Network", "Emergency shelter", "free", "English", False, True),
                ("Blue Ridge Tenant Help", "Rental assistance", "free", "English; Spanish", False, False),
                ("Mountain View Apartments (demo)", "Income-based housing", "sliding", "English", False, False)],
    "recovery-housing": [("Harbor House Recovery Residence", "Men's recovery residence", "fee", "English", False,
                          False),
                         ("Sunrise Women's Recovery Home", "Women's recovery residence", "sliding",
                          "English; Spanish", False, False),
                         ("Oxford-style House on Maple (demo)", "Peer-run recovery house", "fee", "English", False,
                          False),
                         ("New Leaf Family Recovery Residence", "Residence for parents with children", "sliding",
                          "English", True, False)],
    "moud": [("Riverbend Treatment Center", "Methadone and buprenorphine", "insurance", "English; Spanish", True, True),
             ("Bridge Clinic (demo)", "Same-day buprenorphine", "insurance", "English", True, True),
             ("Valley Opioid Treatment Program", "Opioid treatment program", "insurance", "English", True, False),
             ("Clínica Esperanza", "Tratamiento con buprenorfina", "sliding", "Spanish; English", True, True)],
    "withdrawal": [("Crossroads Detox Unit", "Medically managed withdrawal", "insurance", "English", True, False),
                   ("Safe Harbor Social Detox", "Social detox, 5 to 7 days", "free", "English", False, True),
                   ("Ridge Regional Hospital", "Inpatient withdrawal management", "insurance", "English; Spanish",
                    True, False)],
    "mental-health": [("Valley Community Services Board", "Outpatient counselling", "sliding", "English; Spanish",
                       True, False),
                      ("Open Door Counseling (demo)", "Trauma-informed therapy", "insurance", "English", True, False),
                      ("Peer Wellness Drop-In Center", "Peer-run drop-in", "free", "English", False, True),
                      ("Blue Ridge Psychiatry Associates", "Medication management", "insurance", "English", True,
                       False)],
    "crisis-lines": [("988 Suicide and Crisis Lifeline", "Call or text 988", "free", "English; Spanish", False, True),
                     ("Valley Mobile Crisis Team", "Mobile crisis response", "free", "English", False, True),
                     ("Warmline of the Valley (demo)", "Peer warmline, evenings", "free", "English", False, True)],
    "mutual-aid": [("Staunton Tuesday Night AA (demo)", "Open meeting", "free", "English", False, True),
                   ("Valley NA Area (demo)", "Meeting list", "free", "English; Spanish", False, True),
                   ("SMART Recovery Harrisonburg (demo)", "SMART meeting", "free", "English", False, True),
                   ("All Recovery Meeting at the Library", "All pathways welcome", "free", "English", False, True)],
    "employment": [("Valley Workforce Center", "Job search help", "free", "English; Spanish", False, True),
                   ("Second Chance Staffing (demo)", "Fair-chance employer network", "free", "English", False, False),
                   ("Ridge Goodwill Career Center (demo)", "Job training", "free", "English", False, True),
                   ("Recovery Friendly Workplaces (demo)", "Employer list", "free", "English", False, False)],
    "education": [("Blue Ridge Community College", "GED and adult education", "sliding", "English; Spanish", False,
                   False),
                  ("Valley Adult Learning Center", "Literacy tutoring", "free", "English", False, True),
                  ("Collegiate Recovery Program (demo)", "Recovery support on campus", "free", "English", False,
                   False)],
    "food": [("Valley Food Pantry", "Weekly groceries", "free", "English; Spanish", False, True),
             ("St. Mark's Community Meal (demo)", "Hot lunch daily", "free", "English", False, True),
             ("Mobile Market of the Ridge", "Fresh produce truck", "free", "English", False, True),
             ("SNAP Enrollment Help Desk (demo)", "SNAP applications", "free", "English; Spanish", False, True)],
    "transportation": [("Valley Transit", "Reduced-fare bus pass", "sliding", "English", False, True),
                       ("Medicaid Ride Line (demo)", "Rides to appointments", "free", "English; Spanish", True,
                        False),
                       ("Recovery Rides Volunteers (demo)", "Rides to meetings", "free", "English", False, False)],
    "legal-aid": [("Blue Ridge Legal Services (demo)", "Civil legal aid", "free", "English; Spanish", False, False),
                  ("Expungement Clinic (demo)", "Record clearing", "free", "English", False, False),
                  ("Valley Drug Court Liaison (demo)", "Court navigation", "free", "English", False, False)],
    "benefits": [("Department of Social Services (demo)", "Medicaid and SNAP", "free", "English; Spanish", False, True),
                 ("SSI/SSDI Outreach (SOAR) (demo)", "Disability benefits", "free", "English", False, False),
                 ("Veterans Service Office (demo)", "VA benefits", "free", "English", False, False),
                 ("Benefits Navigator at the Library (demo)", "Help with forms", "free", "English", False, True)],
    "health-care": [("Valley Free Clinic", "Primary care", "free", "English; Spanish", False, False),
                    ("Ridge Community Health Center", "Primary care and dental", "sliding", "English; Spanish", True,
                     False),
                    ("Hepatitis C Treatment Clinic (demo)", "Hep C testing and care", "insurance", "English", True,
                     False),
                    ("Women's Health Clinic (demo)", "Prenatal care", "insurance", "English; Spanish", True, False)],
    "harm-reduction": [("Valley Harm Reduction Program", "Syringe services and naloxone", "free", "English; Spanish",
                        False, True),
                       ("Naloxone by Mail (demo)", "Free naloxone", "free", "English", False, False),
                       ("Test Strip Distribution (demo)", "Fentanyl test strips", "free", "English", False, True)],
    "family-support": [("Family Recovery Circle (demo)", "Family support group", "free", "English", False, True),
                       ("Al-Anon Valley District (demo)", "Meetings for families", "free", "English", False, True),
                       ("Kinship Care Support (demo)", "Grandparents raising children", "free", "English", False,
                        False),
                       ("Parenting in Recovery (demo)", "Parenting classes", "free", "English; Spanish", True,
                        False)],
}

# (status, reason, made days ago, days to the last change) — every status and every reason.
REFERRALS = [
    (Status.MADE, "", 2, 0),
    (Status.MADE, "", 25, 0),  # no update for 25 days: on My day and reminded
    (Status.CONNECTED, "", 30, 6),
    (Status.CONNECTED, "", 40, 5),  # connected, then quiet
    (Status.COMPLETED, "", 90, 40),
    (Status.COMPLETED, "", 120, 60),
    (Status.NOT_COMPLETED, Reason.DECLINED, 50, 3),
    (Status.NOT_COMPLETED, Reason.NO_SHOW, 45, 8),
    (Status.NOT_COMPLETED, Reason.NOT_ELIGIBLE, 70, 2),
    (Status.NOT_COMPLETED, Reason.WAITLISTED, 35, 4),
    (Status.NOT_COMPLETED, Reason.UNREACHABLE, 60, 14),
]


def seed(ctx) -> None:
    program, today = ctx.program, ctx.program.today()
    categories_load(Category)
    if not Resource.objects.filter(program=program).exists():
        _directory(ctx, today)
    if not Referral.objects.filter(client__program=program).exists():
        _referrals(ctx, today)


def _directory(ctx, today: datetime.date) -> None:
    categories = {c.code: c for c in Category.objects.filter(program__isnull=True)}
    n = 0
    for code, entries in ENTRIES.items():
        for organisation, service, cost, languages, medicaid, walk_in in entries:
            n += 1
            town = TOWNS[n % len(TOWNS)]
            if n % 9 == 0:
                verified = None  # never verified
            elif n % 5 == 0:
                verified = today - datetime.timedelta(days=200 + n * 3)  # stale
            else:
                verified = today - datetime.timedelta(days=(n * 7) % 150)
            resource = Resource(
                program=ctx.program, organisation=organisation, service_name=service, cost=cost,
                languages=[lang.strip() for lang in languages.split(";")], accepts_medicaid=medicaid, walk_in=walk_in,
                address=f"{100 + n * 7} Main Street, {town}, VA", phone=f"(540) 555-{1000 + n:04d}",
                hours="Mon to Fri, 9 am to 5 pm" if not walk_in else "Walk-ins Mon to Sat, 8 am to 6 pm",
                eligibility="Adults 18 and over" if n % 3 else "Anyone in the valley",
                notes="Ask for the intake coordinator." if n % 4 == 0 else "",
                verified_on=verified, verified_by=ctx.admin if verified else None)
            extra = [categories["moud"]] if code == "withdrawal" and n % 2 else []
            resource_save(resource=resource, categories=[categories[code], *extra], by=ctx.admin)


def _referrals(ctx, today: datetime.date) -> None:
    clients = list(Client.objects.filter(program=ctx.program, primary_peer__isnull=False,
                                         status=Client.Status.ACTIVE).select_related("primary_peer", "program")
                   .order_by("name_key", "pk")[:len(REFERRALS)])
    resources = list(Resource.objects.filter(program=ctx.program).prefetch_related("categories").order_by("pk"))
    if not clients or not resources:
        return
    for index, (status, reason, made_ago, changed_after) in enumerate(REFERRALS):
        client = clients[index % len(clients)]
        resource = resources[(index * 5) % len(resources)]
        made_on = today - datetime.timedelta(days=made_ago)
        goal = Goal.objects.filter(plan__client=client, status=Goal.Status.ACTIVE).first()
        referral = referral_make(
            client=client, by=client.primary_peer, organisation=resource.organisation, resource=resource,
            category=resource.categories.all()[0], reason="Asked for help finding this.", goal=goal,
            method=[Referral.Method.INFORMATION, Referral.Method.CALLED_TOGETHER,
                    Referral.Method.WARM_HANDOFF][index % 3],
            made_on=made_on, followup_on=made_on + datetime.timedelta(days=ctx.program.referral_followup_days))
        on = made_on + datetime.timedelta(days=changed_after)
        if status == Status.COMPLETED:
            referral_update(referral=referral, by=client.primary_peer, status=Status.CONNECTED, on=on)
            referral_update(referral=referral, by=client.primary_peer, status=Status.COMPLETED,
                            on=on + datetime.timedelta(days=20))
        elif status != Status.MADE:
            referral_update(referral=referral, by=client.primary_peer, status=status, on=on, reason=reason)
