"""Demo directory and referrals: about 60 fictional resources across every shipped category (some not
verified for a long time, a few never), and referrals of the demo participants in every status, with their
dated history and follow-ups. Idempotent: a program that already has entries (or referrals) is left alone.
"""

from __future__ import annotations

import datetime

from clients.models import Client, Goal
from recovery.demo import demo_data
from referrals.defaults import categories_load
from referrals.models import Category, Referral, Resource
from referrals.models.referrals import Reason, Status
from referrals.services import referral_make, referral_update, resource_save

TOWNS = ["Staunton", "Waynesboro", "Harrisonburg", "Lexington"]
# Category code → its resources (referrals/data/demo_directory.json): organisation, service, cost,
# languages, accepts_medicaid, walk_in. All fictional.
DIRECTORY = demo_data(__file__, "directory")

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
    for code, entries in DIRECTORY.items():
        for entry in entries:
            n += 1
            town = TOWNS[n % len(TOWNS)]
            if n % 9 == 0:
                verified = None  # never verified
            elif n % 5 == 0:
                verified = today - datetime.timedelta(days=200 + n * 3)  # stale
            else:
                verified = today - datetime.timedelta(days=(n * 7) % 150)
            resource = Resource(
                program=ctx.program, organisation=entry["organisation"], service_name=entry["service"],
                cost=entry["cost"], languages=entry["languages"], accepts_medicaid=entry["accepts_medicaid"],
                walk_in=entry["walk_in"], address=f"{100 + n * 7} Main Street, {town}, VA",
                phone=f"(540) 555-{1000 + n:04d}",
                hours="Walk-ins Mon to Sat, 8 am to 6 pm" if entry["walk_in"] else "Mon to Fri, 9 am to 5 pm",
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
