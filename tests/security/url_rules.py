"""The authorization rule of every URL of the project, walked by test_authorization_matrix.py.

How to declare your URLs
========================

Every URL pattern needs an entry in ``RULES``, keyed by the name ``reverse()`` takes
(``"clients:detail"``, ``"home"``). Until it has one, test_authorization_matrix.py fails and names it.
An entry says what each persona gets for a GET, and which objects the URL is built from::

    "clients:detail": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "supervision:session_sign": Rule(POST_ONLY, uuid="supervision_session.uuid"),

* The first argument maps each persona (``PERSONAS``) to the status a GET must answer. Use a profile
  below (``SIGNED_IN``, ``ADMINS``, ``PARTICIPANT_READ``, ``POST_ONLY``…) or ``expect(default, **exceptions)``:
  ``expect(403, admin=200, outsider=200)``. A set of statuses accepts any of them. ``anonymous`` is 302
  (to the login page, which the test checks) unless you say otherwise.
* Keyword arguments fill the URL's kwargs: a dotted path into the world (``"client.uuid"``,
  ``"notification.pk"``), or a function ``world -> value``.
* A POST-only view: ``POST_ONLY`` (every signed-in persona gets 405 on GET; ``@login_required`` above
  ``@require_POST`` sends anonymous visitors to log in first). Its POST scope is tested by your app.
* Objects your URLs need: add a builder to ``OBJECTS`` (a function ``world -> object``, run in order,
  after the personas exist). Keep them in the persona's terms: ``client`` is carried by ``peer``, whose
  supervisor is ``supervisor``; ``other_supervisor`` supervises someone else; ``outsider`` is a program
  admin of another program.

The personas (tests/conftest.py): ``anonymous``; ``peer``; ``other_peer`` (same team, not carrying
``client``, and on the program's emergency-access list); ``supervisor`` (supervises ``peer``);
``other_supervisor`` (another team); ``admin``; ``outsider`` (admin of another program).

Not walked, and why (``EXCLUDED_NAMESPACES``, ``EXCLUDED_VIEWS``):

* ``admin:``: Django's admin has its own permission system (``is_staff`` plus model permissions), tested
  by Django; Lantern gives ``is_staff`` to no persona.
* static and media serving (``django.views.static.serve``): only mounted with DEBUG on, never in tests
  or production (WhiteNoise serves static files; uploads go through scoped views).
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

PERSONAS = ("anonymous", "peer", "other_peer", "supervisor", "other_supervisor", "admin", "outsider")
SIGNED_IN_PERSONAS = PERSONAS[1:]

EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_VIEWS = {"django.views.static.serve"}

Status = int | frozenset[int]


def expect(default: int | set[int], *, anonymous: int | set[int] = 302, **personas: int | set[int]) -> dict:
    """Statuses by persona: ``default`` for every signed-in persona not named, ``anonymous`` for visitors."""
    unknown = set(personas) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas: {sorted(unknown)}")
    table = {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN_PERSONAS, default), **personas}
    return {who: frozenset(s) if isinstance(s, set) else frozenset({s}) for who, s in table.items()}


class Rule:
    """What each persona gets for a GET of one URL, and how to build that URL's kwargs."""

    def __init__(self, expected: dict[str, frozenset[int]], *, anonymous_to_login: bool = True,
                 **kwargs: str | Callable[[Any], Any]):
        self.expected = expected
        self.kwargs = kwargs
        # False when an anonymous 302 goes somewhere other than the login page (a password-reset link).
        self.anonymous_to_login = anonymous_to_login

    def url_kwargs(self, world) -> dict[str, Any]:
        return {name: spec(world) if callable(spec) else operator.attrgetter(spec)(world)
                for name, spec in self.kwargs.items()}


# --- Profiles --------------------------------------------------------------------------------------

SIGNED_IN = expect(200)  # anyone with an account (program pages show the user's own program)
PUBLIC = expect(200, anonymous=200)
POST_ONLY = expect(405)  # @login_required above @require_POST
POST_ONLY_ANYONE = expect(405, anonymous=405)  # @require_POST above @login_required (or no login)
ADMINS = expect(403, admin=200, outsider=200)  # the admin's current program: the outsider has their own
# About ``client``, carried by ``peer`` (supervised by ``supervisor``):
PARTICIPANT_READ = expect(404, peer=200, supervisor=200, admin=200)
PARTICIPANT_WRITE = expect(404, peer=200, supervisor=403, admin=403)
PARTICIPANT_ASSIGN = expect(404, peer=403, supervisor=200, admin=200)
# A write with nothing left to do for its rightful user (already enrolled; scan already uploaded).
PARTICIPANT_WRITE_DONE = expect(404, peer=302, supervisor=403, admin=403)
# About ``peer``'s staff records:
STAFF_READ = expect(404, peer=200, supervisor=200, admin=200)
STAFF_ADMIN_WRITE = expect(404, peer=403, supervisor=403, admin=200)
STAFF_SELF_OR_ADMIN_WRITE = expect(404, peer=200, supervisor=403, admin=200)
# Supervision: pages of supervisors and admins (a peer: 403), ``peer`` as a supervisee, a draft's leader.
SUPERVISING = expect(200, peer=403, other_peer=403)
SUPERVISEE_READ = expect(404, peer=403, other_peer=403, supervisor=200, admin=200)
SESSION_LEADER = expect(404, supervisor=200)


def _password_reset_kwargs(world) -> dict:
    return {"uidb64": urlsafe_base64_encode(force_bytes(world.peer.pk)),
            "token": default_token_generator.make_token(world.peer)}


# Billing: the program's billing clerks and admins (the outsider, admin elsewhere: their own program's pages,
# 404 for this program's records). Billing clerks: tests/billing/test_access.py.
BILLING_RECORD = expect(403, admin=200, outsider=404)

RULES: dict[str, Rule] = {
    # recovery: accounts, home, notifications, audit
    "home": Rule(SIGNED_IN),
    "switch_program": Rule(POST_ONLY),
    "program_rules": Rule(ADMINS),
    "program_list": Rule(expect(403)),  # superusers only (no persona is one): tests/recovery/test_programs.py
    # Public: a visitor sets a password; someone signed in with another email is told to log out (403).
    "invitation_accept": Rule(expect(403, anonymous=200), anonymous_to_login=False, token="invitation_sent.token"),
    "reference_index": Rule(ADMINS),
    "reference_list": Rule(ADMINS, slug=lambda w: "service-codes"),
    "reference_new": Rule(ADMINS, slug=lambda w: "discharge-reasons"),
    # A value of the admin's program: the outsider (admin of another program) gets 404.
    "reference_edit": Rule(expect(403, admin=200, outsider=404), slug=lambda w: "service-codes",
                           item_id="service_code.pk"),
    "healthz": Rule(expect({200, 503}, anonymous={200, 503})),  # public; 503 while no worker runs
    "login": Rule(expect(302, anonymous=200), anonymous_to_login=False),  # signed in: sent on
    "logout": Rule(POST_ONLY_ANYONE),
    "password_change": Rule(SIGNED_IN),
    "password_change_done": Rule(SIGNED_IN),
    "password_reset": Rule(PUBLIC),
    "password_reset_done": Rule(PUBLIC),
    # A valid link moves its token into the session and redirects to the form (Django's design).
    "password_reset_confirm": Rule(expect(302, anonymous=302), anonymous_to_login=False,
                                   uidb64=lambda w: _password_reset_kwargs(w)["uidb64"],
                                   token=lambda w: _password_reset_kwargs(w)["token"]),
    "password_reset_complete": Rule(PUBLIC),
    "language": Rule(SIGNED_IN),
    "twofactor:overview": Rule(SIGNED_IN),
    "twofactor:enrol": Rule(SIGNED_IN),
    "twofactor:verify": Rule(expect(302)),  # verified: on to the page; no device: to enrolment
    "twofactor:backup_codes": Rule(SIGNED_IN),
    "twofactor:staff": Rule(ADMINS),
    "twofactor:reset": Rule(POST_ONLY_ANYONE, user_uuid="peer.uuid"),
    "session_status": Rule(expect(200, anonymous=401)),  # the time-out script's JSON
    "offline_key": Rule(SIGNED_IN),  # this session's draft key: signed in only (tests/recovery/test_offline.py)
    "manifest": Rule(PUBLIC),  # the web app manifest, the same for everyone
    "service_worker": Rule(PUBLIC),  # /sw.js: the same script for everyone
    "emergency_members": Rule(ADMINS),
    "notifications": Rule(SIGNED_IN),
    "notification_read": Rule(POST_ONLY, pk="notification.pk"),
    "notification_read_all": Rule(POST_ONLY),
    "notification_preferences": Rule(SIGNED_IN),
    "notification_failures": Rule(ADMINS),
    "audit:report": Rule(ADMINS),
    "audit:export": Rule(ADMINS),
    # peers: the staff board and ``peer``'s records
    "peers:staff_home": Rule(expect(200, peer=302, other_peer=302)),  # a peer: their own record
    "peers:board_export": Rule(expect(200, peer=403, other_peer=403)),
    "peers:team": Rule(ADMINS),
    "peers:invite": Rule(ADMINS),
    "peers:invitation_resend": Rule(POST_ONLY, invitation_uuid="invitation_sent.invitation.uuid"),
    "peers:invitation_revoke": Rule(POST_ONLY, invitation_uuid="invitation_sent.invitation.uuid"),
    "peers:role_edit": Rule(STAFF_ADMIN_WRITE, user_uuid="peer.uuid"),
    "peers:reactivate": Rule(POST_ONLY, user_uuid="peer.uuid"),
    "peers:board_export_xlsx": Rule(expect(200, peer=403, other_peer=403)),
    "peers:import": Rule(ADMINS),
    "peers:import_template": Rule(ADMINS, fmt=lambda w: "csv"),
    "peers:type_list": Rule(ADMINS),
    "peers:type_add": Rule(ADMINS),
    "peers:type_edit": Rule(expect(403, admin=200, outsider=404), type_uuid="credential_type.uuid"),
    "peers:staff_detail": Rule(STAFF_READ, user_uuid="peer.uuid"),
    "peers:profile_edit": Rule(STAFF_ADMIN_WRITE, user_uuid="peer.uuid"),
    "clients:staff_handover": Rule(STAFF_ADMIN_WRITE, user_uuid="peer.uuid"),  # "Mark as former staff"
    "peers:credential_add": Rule(STAFF_ADMIN_WRITE, user_uuid="peer.uuid"),
    "peers:credential_edit": Rule(STAFF_ADMIN_WRITE, credential_uuid="credential.uuid"),
    "peers:credential_end": Rule(POST_ONLY, credential_uuid="credential.uuid"),
    "peers:ce_add": Rule(STAFF_SELF_OR_ADMIN_WRITE, user_uuid="peer.uuid"),
    "peers:ce_edit": Rule(STAFF_SELF_OR_ADMIN_WRITE, ce_uuid="ce.uuid"),
    "peers:ce_delete": Rule(POST_ONLY, ce_uuid="ce.uuid"),
    "peers:ce_certificate": Rule(STAFF_READ, ce_uuid="ce.uuid"),
    "peers:hours_add": Rule(STAFF_SELF_OR_ADMIN_WRITE, user_uuid="peer.uuid"),
    "peers:hours_edit": Rule(STAFF_SELF_OR_ADMIN_WRITE, hours_uuid="hours.uuid"),
    "peers:hours_delete": Rule(POST_ONLY, hours_uuid="hours.uuid"),
    # clients: caseload, intake, emergency access and ``client``'s record
    "clients:caseload": Rule(SIGNED_IN),
    "clients:caseload_export": Rule(SIGNED_IN, fmt=lambda w: "csv"),
    "clients:import": Rule(ADMINS),
    "clients:import_template": Rule(ADMINS, fmt=lambda w: "xlsx"),
    "clients:followups_export": Rule(SIGNED_IN, fmt=lambda w: "xlsx"),
    "clients:notes_export": Rule(PARTICIPANT_READ, client_uuid="client.uuid", fmt=lambda w: "csv"),
    "clients:intake": Rule(expect(200, admin=403, outsider=403)),  # peers and supervisors enrol
    "clients:emergency": Rule(expect(403, other_peer=200)),  # only the program's emergency-access list
    "clients:detail": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "clients:edit": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "clients:assign": Rule(PARTICIPANT_ASSIGN, client_uuid="client.uuid"),
    "clients:discharge": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "clients:reenrol": Rule(PARTICIPANT_WRITE_DONE, client_uuid="client.uuid"),
    # a program admin sets a record aside as entered in error (another program's admin: 404), and restores it
    "clients:set_aside": Rule(expect(403, admin=200, outsider=404), client_uuid="client.uuid"),
    "clients:restore": Rule(POST_ONLY, client_uuid="client.uuid"),
    # a program admin merges two records of one person (another program's admin: 404)
    "clients:merge_pick": Rule(expect(403, admin=200, outsider=404), client_uuid="client.uuid"),
    "clients:merge_confirm": Rule(expect(403, admin=200, outsider=404), client_uuid="client.uuid",
                                  kept_uuid="twin.uuid"),
    "clients:plan_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "clients:consent_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "clients:plan_detail": Rule(PARTICIPANT_READ, plan_uuid="plan.uuid"),
    "clients:plan_edit": Rule(PARTICIPANT_WRITE, plan_uuid="plan.uuid"),
    "clients:plan_revise": Rule(POST_ONLY, plan_uuid="plan.uuid"),
    "clients:goal_new": Rule(PARTICIPANT_WRITE, plan_uuid="plan.uuid"),
    "clients:goal_edit": Rule(PARTICIPANT_WRITE, goal_uuid="goal.uuid"),
    "clients:step_new": Rule(PARTICIPANT_WRITE, goal_uuid="goal.uuid"),
    "clients:progress_new": Rule(PARTICIPANT_WRITE, goal_uuid="goal.uuid"),
    "clients:step_edit": Rule(PARTICIPANT_WRITE, step_uuid="step.uuid"),
    "clients:step_done": Rule(POST_ONLY, step_uuid="step.uuid"),
    "clients:objective_new": Rule(PARTICIPANT_WRITE, goal_uuid="goal.uuid"),
    "clients:objective_edit": Rule(PARTICIPANT_WRITE, objective_uuid="objective.uuid"),
    "clients:objective_met": Rule(POST_ONLY, objective_uuid="objective.uuid"),
    "clients:consent_detail": Rule(PARTICIPANT_READ, consent_uuid="consent.uuid"),
    "clients:consent_revoke": Rule(PARTICIPANT_WRITE, consent_uuid="consent.uuid"),
    "clients:consent_scan": Rule(PARTICIPANT_READ, consent_uuid="consent.uuid"),
    "clients:consent_scan_upload": Rule(PARTICIPANT_WRITE_DONE, consent_uuid="consent.uuid"),
    "clients:record_print": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "clients:record_pdf": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "clients:plan_print": Rule(PARTICIPANT_READ, plan_uuid="plan.uuid"),
    "clients:plan_pdf": Rule(PARTICIPANT_READ, plan_uuid="plan.uuid"),
    "clients:plan_sign": Rule(PARTICIPANT_WRITE, plan_uuid="plan.uuid"),
    "clients:consent_print": Rule(PARTICIPANT_READ, consent_uuid="consent.uuid"),
    "clients:consent_pdf": Rule(PARTICIPANT_READ, consent_uuid="consent.uuid"),
    "clients:consent_sign": Rule(PARTICIPANT_WRITE, consent_uuid="consent.uuid"),
    "clients:signature_scan": Rule(PARTICIPANT_READ, signature_uuid="signature.uuid"),
    "clients:note_print": Rule(PARTICIPANT_READ, note_uuid="note.uuid"),
    "clients:note_pdf": Rule(PARTICIPANT_READ, note_uuid="note.uuid"),
    # clients: session notes (``note`` a draft and ``signed_note`` by ``peer`` about ``client``), groups
    # and follow-ups. Writing a note without a participant in the URL: peers and supervisors.
    "clients:note_list": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "clients:note_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "clients:note_log": Rule(expect(200, admin=403, outsider=403)),
    "clients:note_parts": Rule(expect(200, admin=403, outsider=403)),  # no participant chosen: the hint
    "clients:note_units": Rule(expect(200, admin=403, outsider=403)),  # no participant chosen: the hint
    "clients:group_new": Rule(expect(200, admin=403, outsider=403)),
    "clients:group_detail": Rule(PARTICIPANT_READ, group_uuid="group.uuid"),
    "clients:note_detail": Rule(PARTICIPANT_READ, note_uuid="note.uuid"),
    "clients:note_edit": Rule(PARTICIPANT_WRITE, note_uuid="note.uuid"),
    "clients:note_sign": Rule(POST_ONLY, note_uuid="note.uuid"),
    "clients:note_discard": Rule(POST_ONLY, note_uuid="note.uuid"),
    "clients:addendum_new": Rule(PARTICIPANT_WRITE, note_uuid="signed_note.uuid"),
    "clients:followup_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "clients:followup_list": Rule(SIGNED_IN),
    "clients:followup_detail": Rule(PARTICIPANT_READ, followup_uuid="followup.uuid"),
    "clients:followup_edit": Rule(PARTICIPANT_WRITE, followup_uuid="followup.uuid"),
    "clients:followup_done": Rule(POST_ONLY, followup_uuid="followup.uuid"),
    "clients:followup_cancel": Rule(POST_ONLY, followup_uuid="followup.uuid"),
    # supervision: ``supervisor`` leads ``supervision_session`` (signed) and ``supervision_draft`` with ``peer``;
    # ``note_review`` is ``signed_note`` in the review queue. A peer opens their own log, not the dashboard.
    "supervision:dashboard": Rule(SUPERVISING),
    "supervision:log": Rule(SIGNED_IN),
    "supervision:supervisee": Rule(SUPERVISEE_READ, user_uuid="peer.uuid"),
    "supervision:metric": Rule(SUPERVISEE_READ, user_uuid="peer.uuid", slug=lambda w: "active"),
    "supervision:review_queue": Rule(SUPERVISING),
    "supervision:review_detail": Rule(PARTICIPANT_READ, review_uuid="note_review.uuid"),
    "supervision:review_approve": Rule(POST_ONLY, review_uuid="note_review.uuid"),
    "supervision:review_return": Rule(POST_ONLY, review_uuid="note_review.uuid"),
    "supervision:session_list": Rule(SUPERVISING),
    "supervision:session_new": Rule(SUPERVISING),
    "supervision:session_detail": Rule(STAFF_READ, session_uuid="supervision_session.uuid"),
    "supervision:session_edit": Rule(SESSION_LEADER, session_uuid="supervision_draft.uuid"),
    "supervision:session_sign": Rule(POST_ONLY, session_uuid="supervision_draft.uuid"),
    "supervision:session_delete": Rule(POST_ONLY, session_uuid="supervision_draft.uuid"),
    "supervision:session_acknowledge": Rule(POST_ONLY, session_uuid="supervision_session.uuid"),
    "supervision:addendum_new": Rule(expect(404, peer=403, supervisor=200, admin=403),
                                      session_uuid="supervision_session.uuid"),
    "supervision:action_item_new": Rule(SESSION_LEADER, session_uuid="supervision_draft.uuid"),
    "supervision:action_item_done": Rule(POST_ONLY, item_uuid="supervision_item.uuid"),
    "supervision:action_item_delete": Rule(POST_ONLY, item_uuid="supervision_item.uuid"),
    # referrals: the directory (every program's staff; ``resource`` is ``program``'s: the outsider's program
    # does not see it) and ``referral`` of ``client``.
    "referrals:resource_list": Rule(SIGNED_IN),
    "referrals:resource_new": Rule(SIGNED_IN),
    "referrals:resource_import": Rule(ADMINS),
    "referrals:category_list": Rule(ADMINS),
    "referrals:resource_detail": Rule(expect(200, outsider=404), resource_uuid="resource.uuid"),
    "referrals:resource_edit": Rule(expect(200, outsider=404), resource_uuid="resource.uuid"),
    "referrals:resource_verify": Rule(POST_ONLY, resource_uuid="resource.uuid"),
    "referrals:referral_list": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "referrals:referral_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "referrals:referral_from_note": Rule(PARTICIPANT_WRITE, note_uuid="note.uuid"),
    "referrals:referral_detail": Rule(PARTICIPANT_READ, referral_uuid="referral.uuid"),
    "referrals:referral_update": Rule(POST_ONLY, referral_uuid="referral.uuid"),
    # records: ``client``'s disclosures (``disclosure`` under ``consent``; ``record_export`` a copy of the record)
    # and documents.
    "records:accounting": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "records:accounting_export": Rule(PARTICIPANT_READ, client_uuid="client.uuid", fmt=lambda w: "csv"),
    "records:disclosure_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "records:record_export_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "records:document_list": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "records:document_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "records:disclosure_detail": Rule(PARTICIPANT_READ, disclosure_uuid="disclosure.uuid"),
    "records:disclosure_pdf": Rule(PARTICIPANT_READ, disclosure_uuid="disclosure.uuid"),
    "records:record_export_file": Rule(PARTICIPANT_READ, disclosure_uuid="record_export.uuid", fmt=lambda w: "json"),
    "records:document_file": Rule(PARTICIPANT_READ, document_uuid="document.uuid"),
    # outcomes: ``checkin`` of ``client``; lists for everyone signed in (scoped); program admin pages.
    "outcomes:checkin_list": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "outcomes:checkin_new": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "outcomes:checkin_detail": Rule(PARTICIPANT_READ, client_uuid="client.uuid", checkin_uuid="checkin.uuid"),
    "outcomes:gpra_participant": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "outcomes:demographics": Rule(PARTICIPANT_READ, client_uuid="client.uuid"),
    "outcomes:demographics_edit": Rule(PARTICIPANT_WRITE, client_uuid="client.uuid"),
    "outcomes:gpra_list": Rule(SIGNED_IN),
    "outcomes:demographics_report": Rule(SIGNED_IN),
    "outcomes:instrument_list": Rule(ADMINS),
    "outcomes:instrument_new": Rule(ADMINS),
    "outcomes:instrument_detail": Rule(expect(403, admin=200, outsider=404), instrument_uuid="instrument.uuid"),
    "outcomes:settings": Rule(ADMINS),
    # reports: every signed-in role of a program sees its own scope (peer: caseload, supervisor: team,
    # admin: program); an unknown measure is a 404, an unknown export format too.
    "reports:report": Rule(SIGNED_IN),
    "reports:drilldown": Rule(SIGNED_IN, measure=lambda world: "served"),
    "reports:export": Rule(SIGNED_IN, fmt=lambda world: "csv"),
    "reports:summary_pdf": Rule(SIGNED_IN),
    # billing: ``claim_batch`` of the program, ``client``'s billing page and forms.
    "billing:review": Rule(ADMINS),
    "billing:batch_new": Rule(POST_ONLY),
    "billing:batch_detail": Rule(BILLING_RECORD, batch_uuid="claim_batch.uuid"),
    "billing:batch_export": Rule(BILLING_RECORD, batch_uuid="claim_batch.uuid", fmt=lambda w: "csv"),
    "billing:rereview_clear": Rule(POST_ONLY, rereview_uuid=lambda w: uuid.uuid4()),
    "billing:payers": Rule(ADMINS),
    "billing:participants": Rule(ADMINS),
    "billing:participant": Rule(BILLING_RECORD, client_uuid="client.uuid"),
    "billing:coverage_new": Rule(BILLING_RECORD, client_uuid="client.uuid"),
    "billing:authorization_new": Rule(BILLING_RECORD, client_uuid="client.uuid"),
}


# --- The world the URLs are built from --------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _client(w):
    from tests.factories import ClientFactory

    return ClientFactory(program=w.program, primary_peer=w.peer, full_name="Mina Matrix")


def _twin(w):
    """A second record of ``client``'s person (the merge pages): discharged and carried by no one, so that no
    list, My day or duplicate check of the other rules meets it."""
    from clients.models import Client
    from tests.factories import ClientFactory

    return ClientFactory(program=w.program, primary_peer=None, full_name="Mina Matrix Twin", episode=False,
                         assignment=False, status=Client.Status.DISCHARGED, created_by=w.admin)


def _plan(w):
    from tests.factories import RecoveryPlanFactory

    return RecoveryPlanFactory(client=w.client)


def _goal(w):
    from tests.factories import GoalFactory

    return GoalFactory(plan=w.plan)


def _step(w):
    from tests.factories import ActionStepFactory

    return ActionStepFactory(goal=w.goal)


def _objective(w):
    from clients.models import Objective

    return Objective.objects.create(goal=w.goal, text="Three applications sent", target_on=w.program.today())


def _consent(w):
    from tests.factories import ConsentFactory

    consent = ConsentFactory(client=w.client)
    consent.scan.save("signed.pdf", ContentFile(PDF_BYTES), save=True)
    return consent


def _signature(w):
    from clients.models import Signature
    from clients.signing import content_hash

    return Signature.objects.create(client=w.client, consent=w.consent, role="participant", signer_name="Signer",
                                    method="paper", content_sha256=content_hash(w.consent), recorded_by=w.peer,
                                    scan=ContentFile(PDF_BYTES, name="signed.pdf"))


def _note(w):
    from tests.factories import SessionNoteFactory

    return SessionNoteFactory(client=w.client)


def _signed_note(w):
    from tests.factories import SessionNoteFactory

    return SessionNoteFactory(client=w.client, signed=True)


def _group(w):
    from clients.models import GroupSession
    from tests.factories import SessionNoteFactory

    group = GroupSession.objects.create(program=w.program, facilitator=w.peer, session_date=w.note.session_date,
                                        topic="Matrix group")
    SessionNoteFactory(client=w.client, group=group, contact_type="group")
    return group


def _followup(w):
    from tests.factories import FollowUpFactory

    return FollowUpFactory(client=w.client)


def _notification(w):
    from tests.factories import NotificationFactory

    return NotificationFactory(recipient=w.peer, program=w.program)


def _invitation_sent(w):
    from recovery.invitations import invitation_create

    return invitation_create(program=w.program, email="invited.person@example.org", full_name="Invited Person",
                             role="peer", supervisor=w.supervisor, by=w.admin, send_email=False)


def _peer_membership(w):
    return w.peer.memberships.get(program=w.program)


def _credential(w):
    from tests.factories import CredentialFactory

    return CredentialFactory(membership=w.peer_membership)


def _ce(w):
    from tests.factories import ContinuingEducationFactory

    ce = ContinuingEducationFactory(membership=w.peer_membership)
    ce.certificate.save("certificate.pdf", ContentFile(PDF_BYTES), save=True)
    return ce


def _hours(w):
    from tests.factories import TraineeHoursFactory

    return TraineeHoursFactory(membership=w.peer_membership)


def _credential_type(w):
    from tests.factories import CredentialTypeFactory

    return CredentialTypeFactory(program=w.program)


def _emergency_list(w):
    from recovery.models import EmergencyAccessMember

    return EmergencyAccessMember.objects.create(program=w.program, user=w.other_peer, added_by=w.admin)


def _supervision_session(w):
    from tests.factories import SupervisionSessionFactory, action_item, sign

    session = SupervisionSessionFactory(supervisor=w.supervisor, supervisees=[w.peer], participants=[w.client])
    action_item(session, w.peer)
    return sign(session)


def _supervision_draft(w):
    from tests.factories import SupervisionSessionFactory

    return SupervisionSessionFactory(supervisor=w.supervisor, supervisees=[w.peer])


def _note_review(w):
    from supervision.reviews import note_review_enqueue

    return note_review_enqueue(note=w.signed_note)


def _checkin(w):
    from tests.outcomes.conftest import record, shipped_scale

    return record(w.client, shipped_scale(), w.client.episodes.get().started_on)


def _instrument(w):
    from outcomes.models import Instrument

    return Instrument.objects.create(program=w.program, code="matrix", name="Matrix check-in")


def _resource(w):
    from tests.factories import ResourceFactory

    return ResourceFactory(program=w.program)


def _referral(w):
    from tests.factories import referral_for

    return referral_for(w.client, w.resource)


def _disclosure(w):
    from records.models import Basis
    from tests.factories import DisclosureFactory

    return DisclosureFactory(client=w.client, basis=Basis.CONSENT, consent=w.consent)


def _record_export(w):
    from records.models import Basis, Disclosure
    from tests.factories import DisclosureFactory

    return DisclosureFactory(client=w.client, basis=Basis.OWN_REQUEST, kind=Disclosure.Kind.RECORD_EXPORT,
                             recipient="The participant", information="entire record")


def _document(w):
    from tests.factories import DocumentFactory

    return DocumentFactory(client=w.client)


def _claim_batch(w):
    from tests.factories import ClaimBatchFactory

    return ClaimBatchFactory(program=w.program, billed_by=w.admin)


def _service_code(w):
    from clients.models import ServiceCode

    return ServiceCode.objects.get(program=w.program, code="T1012")


OBJECTS: dict[str, Callable[[Any], Any]] = {
    "client": _client,
    "twin": _twin,
    "plan": _plan,
    "goal": _goal,
    "step": _step,
    "objective": _objective,
    "consent": _consent,
    "signature": _signature,
    "note": _note,
    "signed_note": _signed_note,
    "group": _group,
    "followup": _followup,
    "notification": _notification,
    "peer_membership": _peer_membership,
    "invitation_sent": _invitation_sent,
    "credential": _credential,
    "ce": _ce,
    "hours": _hours,
    "credential_type": _credential_type,
    "emergency_list": _emergency_list,
    "supervision_session": _supervision_session,
    "supervision_item": lambda w: w.supervision_session.action_items.get(),
    "supervision_draft": _supervision_draft,
    "note_review": _note_review,
    "checkin": _checkin,
    "instrument": _instrument,
    "resource": _resource,
    "referral": _referral,
    "claim_batch": _claim_batch,
    "disclosure": _disclosure,
    "record_export": _record_export,
    "document": _document,
    "service_code": _service_code,
}
