"""No participant name or date of birth in any log record or email (issue 8, Done when 5).

The main journeys run with every logger at DEBUG (the root logger, every logger that exists, and the
ones that do not propagate), emails delivered as production delivers them (on commit, by the task),
and each log record (message, arguments, extra attributes, exception text) and each email (subject,
headers, text and HTML bodies) is searched for the participant's names and birth date in every usual
spelling. SQL is not logged in production (``DEBUG`` off), so it is not logged here either.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import ActionStep, Client, Consent, Goal, RecoveryPlan, SessionNote
from recovery.models import EmergencyAccessMember, Notification
from recovery.reminders import SWEEPS, sweep_run
from recovery.tasks import deliver_due_emails
from tests.factories import days, dimensions, service_code

FULL_NAME = "Zelda Quintessa Marchbanks"
PREFERRED = "Zeezee"
BIRTH = datetime.date(1983, 7, 19)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def forbidden() -> list[str]:
    """The participant's identifiers as logs or emails might spell them (compared case-insensitively)."""
    names = [FULL_NAME, *FULL_NAME.split(), PREFERRED]
    dates = [BIRTH.isoformat(), BIRTH.strftime("%m/%d/%Y"), f"{BIRTH.month}/{BIRTH.day}/{BIRTH.year}",
             BIRTH.strftime("%d/%m/%Y"), BIRTH.strftime("%B %-d, %Y"), BIRTH.strftime("%b %-d, %Y"),
             BIRTH.strftime("%b. %-d, %Y"), BIRTH.strftime("%Y%m%d"), repr(BIRTH), "1983, 7, 19"]
    return [text.lower() for text in names + dates]


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [needle for needle in forbidden() if needle in lowered]


def record_text(record: logging.LogRecord) -> str:
    parts = [record.name, str(record.msg), repr(record.args)]
    with contextlib.suppress(Exception):  # a broken format string is still searched through msg and args
        parts.append(record.getMessage())
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    parts += [record.exc_text or "", record.stack_info or ""]
    parts += [f"{key}={value!r}" for key, value in vars(record).items()]
    return "\n".join(parts)


def email_text(message) -> str:
    parts = [message.subject, message.body, repr(message.to), repr(message.extra_headers)]
    parts += [str(content) for content, _ in getattr(message, "alternatives", [])]
    parts.append(message.message().as_string())
    return "\n".join(parts)


@pytest.fixture
def every_log(caplog):
    """caplog at DEBUG on the root logger and on every logger, non-propagating ones included."""
    caplog.set_level(logging.DEBUG)
    changed = []
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        changed.append((logger, logger.level, logger.disabled))
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    yield caplog
    for logger, level, disabled in changed:
        logger.setLevel(level)
        logger.disabled = disabled
        if caplog.handler in logger.handlers:
            logger.removeHandler(caplog.handler)


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def token() -> str:
    return str(uuid.uuid4())


class Journey:
    """Runs steps as the personas, delivering emails after each commit as production does."""

    def __init__(self, login, on_commit):
        self.login, self.on_commit = login, on_commit

    def get(self, user, url, **params):
        with self.on_commit(execute=True):
            return self.login(user).get(url, params)

    def post(self, user, url, data=None, expect=302):
        with self.on_commit(execute=True):
            response = self.login(user).post(url, data or {})
        assert response.status_code == expect, (url, response.status_code,
                                                 getattr(response, "context", None) and
                                                 response.context.get("form") and response.context["form"].errors)
        return response


def test_the_main_journeys_log_and_email_no_participant_name_or_birth_date(
    every_log, login, uploads, django_capture_on_commit_callbacks, program, peer, other_peer, supervisor,
    other_team_peer, admin, outsider,
):
    dimensions()
    go = Journey(login, django_capture_on_commit_callbacks)
    today = days(0).isoformat()

    # Intake: a rejected form, the enrolment, a second enrolment caught as a possible duplicate.
    intake = reverse("clients:intake")
    person = {"full_name": FULL_NAME, "preferred_name": PREFERRED, "pronouns": "she/her",
              "birth_date": BIRTH.isoformat(), "phone": "540-555-0134", "address": "12 Main St",
              "preferred_contact_method": "text", "emergency_contact_name": "Ana Example",
              "emergency_contact_relationship": "Sister", "emergency_contact_phone": "540-555-0199",
              "started_on": today, "referral_source": "treatment", "referral_detail": "Valley Clinic"}
    go.post(peer, intake, {**person, "birth_date": "", "form_token": token()}, expect=200)
    go.post(peer, intake, {**person, "form_token": token()})
    participant = Client.objects.get(name_key="zelda quintessa marchbanks")
    go.post(peer, intake, {**person, "form_token": token()}, expect=200)  # same name and birth date
    detail = reverse("clients:detail", args=[participant.uuid])

    # The participant page, for each role, and refused to those outside the caseload.
    for user in (peer, supervisor, admin):
        assert go.get(user, detail).status_code == 200
    for user in (other_team_peer, outsider):
        assert go.get(user, detail).status_code == 404
    go.post(peer, reverse("clients:edit", args=[participant.uuid]),
            {**{k: v for k, v in person.items() if k not in ("started_on", "referral_source", "referral_detail")},
             "phone": "540-555-0135"})
    assert go.get(supervisor, reverse("clients:edit", args=[participant.uuid])).status_code == 403

    # The recovery plan: plan, goal, step, progress, step done.
    go.post(peer, reverse("clients:plan_new", args=[participant.uuid]),
            {"started_on": today, "review_on": days(10).isoformat(), "agreed_on": today,
             "strengths": "Determined.", "backup_plan": "Call her sister.", "form_token": token()})
    plan = RecoveryPlan.objects.get(client=participant)
    go.post(peer, reverse("clients:goal_new", args=[plan.uuid]),
            {"text": "I want my own place.", "dimensions": [dimensions()["home"].pk], "form_token": token()})
    goal = Goal.objects.get(plan=plan)
    go.post(peer, reverse("clients:step_new", args=[goal.uuid]),
            {"description": "Call the housing office", "who": "participant", "due_on": days(7).isoformat(),
             "form_token": token()})
    go.post(peer, reverse("clients:progress_new", args=[goal.uuid]),
            {"noted_on": today, "text": "Viewed two apartments.", "form_token": token()})
    go.post(peer, reverse("clients:step_done", args=[ActionStep.objects.get(goal=goal).uuid]), {"done": "1"})
    go.get(supervisor, reverse("clients:plan_detail", args=[plan.uuid]))

    # A consent, with a scan whose file name carries the participant's name; read and downloaded.
    scan = SimpleUploadedFile(f"{FULL_NAME} consent {BIRTH.isoformat()}.pdf", PDF_BYTES,
                              content_type="application/pdf")
    go.post(peer, reverse("clients:consent_new", args=[participant.uuid]), {
        "discloser": "Riverside Peer Recovery", "information": "Attendance.", "recipients": "Valley Primary Care",
        "purpose": "Coordinate care.", "right_to_revoke_explained": "on", "expiry_event": "date",
        "expires_on": days(20).isoformat(), "signed_on": today, "signature_method": "paper",
        "form_token": token(), "scan": scan})
    consent = Consent.objects.get(client=participant)
    go.get(admin, reverse("clients:consent_detail", args=[consent.uuid]))
    b"".join(go.get(peer, reverse("clients:consent_scan", args=[consent.uuid])).streaming_content)

    # Caseload search, by the peer and the supervisor; the staff board and its export.
    for user in (peer, supervisor):
        results = go.post(user, reverse("clients:caseload"), {"q": "Zelda Marchbanks"}).url
        assert go.get(user, results).status_code == 200
    go.get(supervisor, reverse("peers:staff_home"))
    go.get(admin, reverse("peers:board_export"))

    # Session notes: a note with a crisis flag (the supervisor is told), signed, with an addendum.
    note_new = reverse("clients:note_new", args=[participant.uuid])
    form_token = go.get(peer, note_new).context["form"]["form_token"].value()
    go.post(peer, note_new, {
        "session_date": today, "start_time": "09:00", "end_time": "09:50", "contact_type": "individual",
        "setting": "office", "service_code": str(service_code().pk), "summary": "Talked about housing.",
        "response": "Hopeful.", "next_steps": "Call the housing office.", "follow_up_on": days(3).isoformat(),
        "crisis_flag": "on", "crisis_description": "Spoke of relapse risk after an eviction notice.",
        "form_token": str(form_token)})
    note = SessionNote.objects.get(client=participant)
    go.post(peer, reverse("clients:note_sign", args=[note.uuid]))
    go.post(peer, reverse("clients:addendum_new", args=[note.uuid]), {"text": "Her sister called back.",
                                                                      "form_token": token()})
    go.get(supervisor, reverse("clients:note_detail", args=[note.uuid]))
    go.get(peer, reverse("clients:followup_list"))

    # Emergency access by a colleague (the admins are told), then reassignment.
    EmergencyAccessMember.objects.create(program=program, user=other_peer, added_by=admin)
    go.post(other_peer, reverse("clients:emergency"), {
        "full_name": FULL_NAME, "birth_date": BIRTH.isoformat(), "form_token": token(),
        "reason": f"Crisis call: {FULL_NAME} is at the emergency department and asks for us."})
    go.get(other_peer, detail)
    go.post(supervisor, reverse("clients:assign", args=[participant.uuid]),
            {"peer": other_peer.pk, "reason": f"{PREFERRED} asked for a change."})

    # Reminders (the consent expires within the window, the plan review is due): every sweep, then every
    # due email; then the discharge; the notification pages.
    with django_capture_on_commit_callbacks(execute=True):
        for dotted in SWEEPS:
            sweep_run(dotted, program)
    deliver_due_emails()
    go.post(other_peer, reverse("clients:discharge", args=[participant.uuid]),
            {"discharged_on": today, "discharge_reason": "moved", "discharge_note": "Moved to live with family."})
    for user in (peer, other_peer, supervisor, admin):
        go.get(user, reverse("notifications"))
    go.get(admin, reverse("audit:report"), participant=str(participant.uuid))

    # The journeys did happen: records, notifications and emails to search.
    assert Notification.objects.filter(kind="crisis_flag").exists()
    assert Notification.objects.filter(kind="emergency_access").exists()
    assert Notification.objects.filter(kind="consent_expiring").exists()
    assert Notification.objects.filter(kind="plan_review").exists()
    assert mail.outbox and len(every_log.records) > 20

    found = []
    for record in every_log.records:
        if hits := leaks(record_text(record)):
            found.append(f"log {record.name} {record.levelname}: {hits}: {record.getMessage()[:200]}")
    for message in mail.outbox:
        if hits := leaks(email_text(message)):
            found.append(f"email {message.subject!r}: {hits}")
    for notification in Notification.objects.all():
        if hits := leaks(f"{notification.title}\n{notification.body}\n{notification.url}"):
            found.append(f"notification {notification.kind}: {hits}")
    assert not found, "participant data found:\n  " + "\n  ".join(found)


def test_the_check_finds_a_name_or_birth_date_wherever_a_log_record_carries_it(every_log):
    """The search is not vacuous: each place a record can carry participant data is searched."""
    log = logging.getLogger("lantern.selfcheck")
    log.info("opened %s", "ZELDA quintessa")
    log.debug("plain", extra={"participant": {"born": BIRTH}})
    try:
        raise ValueError(f"bad row for {BIRTH:%m/%d/%Y}")
    except ValueError:
        log.exception("failed")
    quiet = logging.getLogger("lantern.selfcheck.quiet")
    quiet.propagate = False
    every_log.handler.setLevel(logging.DEBUG)
    quiet.addHandler(every_log.handler)
    quiet.warning("Marchbanks")
    quiet.removeHandler(every_log.handler)
    hits = [leaks(record_text(r)) for r in every_log.records if r.name.startswith("lantern.selfcheck")]
    assert all(hits) and len(hits) == 4
    assert leaks("Participant 3f2a opened by Pat Peer on 2026-03-04") == []


def test_a_failed_template_lookup_is_logged_without_the_template_context(every_log):
    """Django attaches the whole template context to this DEBUG record; recovery.log_filters drops it."""
    from django.template import Context, Template

    Template("{{ form.missing }}").render(Context({"form": {"full_name": FULL_NAME}}))
    records = [r for r in every_log.records if r.name == "django.template"]
    assert records and "missing" in records[0].getMessage()
    assert "template context not logged" in records[0].getMessage()
    assert [leaks(record_text(r)) for r in records] == [[] for _ in records]
