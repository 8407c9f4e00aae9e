"""Factories of the supervision app: sessions (draft or signed) with their supervisees, action items."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from recovery.models import Membership
from supervision.models import ActionItem, Attendance, SupervisionSession, Topic
from supervision.topics import topics_load_defaults
from tests.factories_clients import days


def topics() -> dict[str, Topic]:
    """The default topics by code (a transactional test may have flushed the migration's rows)."""
    topics_load_defaults(Topic)
    return {t.code: t for t in Topic.objects.all()}


def membership(user, program) -> Membership:
    return Membership.objects.get(user=user, program=program)


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    """A session led by ``supervisor`` with ``supervisees`` (users of the program).

    Pass ``signed=True`` to sign it after its parts are written (a signed session takes no new parts).
    """

    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    supervisees = ()
    topic_codes = ("case-review",)
    participants = ()
    signed = False
    program = factory.LazyAttribute(lambda o: o.supervisor.memberships.first().program)
    kind = factory.LazyAttribute(lambda o: SupervisionSession.Kind.GROUP if len(o.supervisees) > 1
                                 else SupervisionSession.Kind.INDIVIDUAL)
    held_on = factory.LazyFunction(lambda: days(-7))
    duration_minutes = 60
    format = SupervisionSession.Format.IN_PERSON
    notes = "Talked through the week."

    @classmethod
    def _create(cls, model_class, *args, supervisees, signed, topic_codes, participants, **kwargs):
        session = super()._create(model_class, *args, **kwargs)
        for user in supervisees:
            Attendance.objects.create(session=session, membership=membership(user, session.program))
        by_code = topics()
        session.topics.set([by_code[code] for code in topic_codes])
        session.participants_discussed.set(participants)
        if signed:
            session.signed_at = timezone.now()
            session.save(update_fields=["signed_at"])
        return session


def action_item(session: SupervisionSession, assignee, *, due_in: int = 7, description: str = "Read the policy",
                done: bool = False) -> ActionItem:
    """An action item; for a signed session it must be made before signing (use ``signed=False`` first)."""
    return ActionItem.objects.create(
        session=session, assignee=assignee, description=description,
        due_on=session.held_on + datetime.timedelta(days=due_in),
        done_at=timezone.now() if done else None, done_by=assignee if done else None,
    )


def sign(session: SupervisionSession) -> SupervisionSession:
    session.signed_at = timezone.now()
    session.save(update_fields=["signed_at"])
    return session
