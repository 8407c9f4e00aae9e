"""Sending notifications: in-app always, email by the recipient's preference, each exactly once.

Sweeps and views call ``notification_send`` (one) or ``notifications_send`` (a batch, a fixed number
of queries whatever its size). Both create the in-app rows at most once per (recipient, dedupe_key) and
mark the email "pending"; ``recovery.tasks.deliver_due_emails`` (run after each commit and every minute
by beat) sends them through ``recovery.notify_email``, which claims each email before sending it, so a
rerun, a redelivered task or two workers at once never send the same email twice.

Imports go one way: notify → tasks → notify_email (which holds ``KINDS`` and the delivery code).

Texts must never name a participant: say what and how many, and link to the page that shows who. A
notification about one participant carries their ``client_uuid``; the notifications page (behind login,
never an email) names them through ``SUBJECT_NAMES`` to a recipient who may see them when it renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db import connection
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import ngettext_lazy

from recovery.db import id_in
from recovery.i18n import render_text, usable_language
from recovery.models import Notification, NotificationPreference, User
from recovery.notify_email import KINDS, MAX_QUICK_RETRIES
from recovery.tasks import deliver_due_emails

Text = str | Promise | Callable[[], str]


@dataclass(frozen=True)
class Draft:
    """A notification to send: what the sweeps produce."""

    recipient_id: int
    kind: str
    title: Text  # a lazy string or a function returning text is written in the recipient's language
    dedupe_key: str = ""
    body: Text = ""
    url: str = ""
    program_id: int | None = None
    client_uuid: UUID | None = None  # the participant it is about: named in the app, never in the text


# Functions ``(user, uuids) -> {uuid: name}`` giving the participants among ``uuids`` that ``user`` may
# see now (clients fills it in its AppConfig.ready(); recovery imports no app).
SUBJECT_NAMES: list[Callable[[object, set[UUID]], dict[UUID, str]]] = []


def subject_names(user, uuids: Iterable[UUID | None]) -> dict[UUID, str]:
    """The names of the participants among ``uuids`` that ``user`` may see (``visible_to``), now."""
    wanted = {u for u in uuids if u}
    names: dict[UUID, str] = {}
    if wanted:
        for lookup in SUBJECT_NAMES:
            names.update(lookup(user, wanted))
    return names


# Repeats shown as one line on the notifications page, by the first part of their dedupe key: the
# heading of a group of ``count`` notifications about the same thing.
GROUP_TITLES = {
    "followup_overdue": ngettext_lazy("%(count)d follow-up overdue", "%(count)d follow-ups overdue", "count"),
    "followup_due": ngettext_lazy("%(count)d follow-up due today", "%(count)d follow-ups due today", "count"),
    "no_contact": ngettext_lazy("%(count)d participant not reached lately", "%(count)d participants not reached "
                                "lately", "count"),
    "consent_expiring": ngettext_lazy("%(count)d consent expiring", "%(count)d consents expiring", "count"),
    "plan_review": ngettext_lazy("%(count)d plan review due", "%(count)d plan reviews due", "count"),
    "draft_late": ngettext_lazy("%(count)d note past the signing deadline", "%(count)d notes past the signing "
                                "deadline", "count"),
    "draft_late_supervisor": ngettext_lazy("%(count)d unsigned note on your team",
                                           "%(count)d unsigned notes on your team", "count"),
    "credential_expiry": ngettext_lazy("%(count)d credential renewal coming up",
                                       "%(count)d credential renewals coming up", "count"),
    "checkin_due": ngettext_lazy("%(count)d check-in due", "%(count)d check-ins due", "count"),
    "gpra_open": ngettext_lazy("%(count)d GPRA window open", "%(count)d GPRA windows open", "count"),
    "ce_short": ngettext_lazy("%(count)d credential short of CE", "%(count)d credentials short of CE", "count"),
}


def group_key(notification) -> str:
    return notification.dedupe_key.split(":", 1)[0] if notification.dedupe_key else ""


def notifications_grouped(notifications: Iterable) -> list[dict]:
    """The notifications of a page in order, repeats about the same thing (``GROUP_TITLES``) gathered
    where the first of them stands: ``{"title": "3 follow-ups overdue" or None, "items": [...]}``."""
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for n in notifications:
        key = group_key(n)
        if key in GROUP_TITLES and key in groups:
            groups[key]["items"].append(n)
            continue
        entry = {"key": key, "items": [n]}
        if key in GROUP_TITLES:
            groups[key] = entry
        entries.append(entry)
    for entry in entries:
        count = len(entry["items"])
        entry["title"] = GROUP_TITLES[entry["key"]] % {"count": count} if count > 1 else None
        entry["unread"] = sum(1 for n in entry["items"] if not n.is_read)
    return entries


def _languages(drafts: list[Draft]) -> dict[int, str]:
    """Each recipient's language (``User.language``; blank: the site's). One query."""
    return dict(User.objects.filter(id_in({d.recipient_id for d in drafts})).order_by().values_list("pk", "language"))


def _texts(drafts: list[Draft]) -> list[tuple[str, str]]:
    """Each draft's title and body written in its recipient's language (see recovery.i18n): the drafts are
    rendered one language at a time, so a batch switches language at most once per language, and each
    text once per language however many drafts share it (a sweep gives the holder, the supervisor and
    the admins the same title object; ``drafts`` keeps every object alive, so ``id()`` is a sound key)."""
    languages = _languages(drafts)
    texts: list[tuple[str, str]] = [("", "")] * len(drafts)
    by_language: dict[str, list[int]] = {}
    for index, draft in enumerate(drafts):
        by_language.setdefault(usable_language(languages.get(draft.recipient_id, "")), []).append(index)
    for language, indexes in by_language.items():
        rendered: dict[int, str] = {}
        with translation.override(language):
            for index in indexes:
                draft = drafts[index]
                texts[index] = (_rendered(draft.title, rendered)[:200], _rendered(draft.body, rendered))
    return texts


def _rendered(text: Text, rendered: dict[int, str]) -> str:
    """``render_text(text)``, remembered in ``rendered`` (one language's) by the object's identity."""
    if isinstance(text, str):
        return text
    key = id(text)
    if key not in rendered:
        rendered[key] = render_text(text)
    return rendered[key]


# One statement per batch, whatever its size: the drafts travel as one array per column (no model
# instance, no per-row Python beyond building the arrays), each row's email status is decided in SQL from
# the recipient and their preferences, and the unique constraint (recipient, dedupe_key) turns a repeat
# into nothing (ON CONFLICT DO NOTHING): a rerun, an overlapping sweep or a redelivered task create none.
_INSERT = """
INSERT INTO {notification} (recipient_id, program_id, kind, title, body, url, dedupe_key, client_uuid,
                            created_at, email_status, email_attempts, email_next_attempt_at, email_error)
SELECT d.recipient_id, d.program_id, d.kind, d.title, d.body, d.url, d.dedupe_key, d.client_uuid,
       %(now)s,
       CASE WHEN u.is_active AND u.email <> '' AND NOT EXISTS (
                SELECT 1 FROM {preference} p WHERE p.user_id = d.recipient_id AND p.kind = d.kind AND NOT p.email)
            THEN %(pending)s ELSE %(not_sent)s END,
       0, %(now)s, ''
FROM unnest(%(recipient)s::bigint[], %(program)s::bigint[], %(kind)s::text[], %(title)s::text[],
            %(body)s::text[], %(url)s::text[], %(key)s::text[], %(client)s::uuid[])
     WITH ORDINALITY AS d(recipient_id, program_id, kind, title, body, url, dedupe_key, client_uuid, n)
JOIN {user} u ON u.id = d.recipient_id
ORDER BY d.n
ON CONFLICT DO NOTHING
RETURNING email_status
"""


def notifications_send(drafts: list[Draft]) -> int:
    """Create the in-app notifications of ``drafts`` that do not exist yet; queue their emails.

    Returns how many were new. Existing (recipient, dedupe_key) pairs are skipped by the database's
    unique constraint, so concurrent sweeps cannot both create one. Two queries: the recipients'
    languages, then the insert.
    """
    if not drafts:
        return 0
    texts = _texts(drafts)
    sql = _INSERT.format(notification=Notification._meta.db_table, preference=NotificationPreference._meta.db_table,
                         user=User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {
            "now": timezone.now(), "pending": Notification.Email.PENDING, "not_sent": Notification.Email.NOT_SENT,
            "recipient": [d.recipient_id for d in drafts], "program": [d.program_id for d in drafts],
            "kind": [d.kind for d in drafts], "title": [title for title, _body in texts],
            "body": [body for _title, body in texts], "url": [d.url for d in drafts],
            "key": [d.dedupe_key for d in drafts], "client": [d.client_uuid for d in drafts],
        })
        statuses = [status for (status,) in cursor.fetchall()]
    if Notification.Email.PENDING in statuses:
        deliver_due_emails.delay_on_commit()
    return len(statuses)


def notification_send(
    *, recipient, kind: str, title: Text, body: Text = "", url: str = "", program=None, dedupe_key: str = "",
    client_uuid: UUID | None = None,
) -> Notification:
    """Send one notification now (for example a crisis flag); returns it, new or already sent."""
    draft = Draft(recipient_id=recipient.pk, kind=kind, title=title, body=body, url=url,
                  program_id=getattr(program, "pk", program), dedupe_key=dedupe_key, client_uuid=client_uuid)
    notifications_send([draft])
    qs = Notification.objects.filter(recipient_id=recipient.pk)
    return qs.get(dedupe_key=dedupe_key) if dedupe_key else qs.latest("created_at", "id")


def failed_emails(program_ids) -> Q:
    """Filter for the emails that keep failing, for the admins' delivery-problems list."""
    return Q(email_status=Notification.Email.FAILED, email_attempts__gte=MAX_QUICK_RETRIES, program_id__in=program_ids)


def email_preferences(user) -> dict[str, bool]:
    """Email on/off per kind for ``user`` (on unless they turned it off)."""
    off = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {kind: kind not in off for kind in KINDS}


def notification_preferences_save(*, user, email_by_kind: dict[str, bool]) -> None:
    rows = [NotificationPreference(user=user, kind=kind, email=bool(email_by_kind.get(kind)))
            for kind in KINDS]
    NotificationPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["email"]
    )
