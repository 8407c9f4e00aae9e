"""Two-factor authentication: who must use it, enrolment, the code step at login, and resets by an admin.

Who must use it (PRODUCT.md, issue 8): supervisors and program admins, peers of a program that requires
it (``Program.require_two_factor_for_peers``), and Django-admin staff, whose access reaches every record.
Demo accounts are exempt while ``DEMO_MODE`` is on, so anyone can try the demo.

The login flow: the password step logs the user in (Django's ``LoginView``). When the user has a
confirmed device, ``on_login`` marks the session as waiting for a code, and ``TwoFactorMiddleware`` sends
every request to the code step until django-otp records the verified device in the session. A user who
must use two-factor and has no device is sent to enrolment before anything else.
"""

from __future__ import annotations

from binascii import unhexlify
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from recovery.audit import client_ip
from recovery.http import opens_with_get
from recovery.i18n import in_language_of
from recovery.models import Membership, Notification, SecurityEvent

DEMO_DOMAIN = "@demo.example"
PENDING_SESSION_KEY = "lantern_2fa_pending"
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"

RESET_NOTIFICATION_TITLE = _("Your two-factor authentication was reset")


# --- Who must use it ----------------------------------------------------------------------------

def two_factor_required(user) -> bool:
    """Must ``user`` sign in with a second factor? Reads only the (cached) memberships."""
    if not getattr(user, "is_authenticated", False):
        return False
    if settings.DEMO_MODE and user.email.lower().endswith(DEMO_DOMAIN):
        return False
    if user.is_staff or user.is_superuser:
        return True
    for membership in user.active_memberships:
        if membership.role != Membership.Role.PEER or membership.program.require_two_factor_for_peers:
            return True
    return False


def totp_device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Enrolment ----------------------------------------------------------------------------------

def totp_secret_new() -> str:
    """A fresh TOTP key (hex, 20 random bytes), kept in the session until the user proves their app has it."""
    return random_hex(20)


def totp_matching_step(key: str, token: str) -> int | None:
    """The time step at which ``token`` is the code of ``key`` (one step of clock drift allowed), or None."""
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    if not totp.verify(int(token), tolerance=1):
        return None
    return totp.t()


def _record(kind: str, *, user, actor, program_id: int | None, ip: str | None, reason: str = "") -> SecurityEvent:
    return SecurityEvent.objects.create(
        kind=kind, user=user, actor=actor, program_id=program_id, ip=ip, reason=reason[:300]
    )


def _program_id(request) -> int | None:
    membership = getattr(request, "membership", None)
    return membership.program_id if membership else None


def backup_codes_replace(*, user) -> list[str]:
    """Replace the user's backup codes with a new set; each code works once (django-otp deletes it on use)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in sorted(codes)])
    return sorted(codes)


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    backup_codes: list[str]


@transaction.atomic
def two_factor_enrol(*, request, key: str, last_t: int) -> Enrolment:
    """Save the user's authenticator app (replacing an older one), issue backup codes, verify the session.

    ``last_t`` is the time step of the code the user typed, so that same code cannot be replayed.
    """
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=last_t)
    codes = backup_codes_replace(user=user)
    _record(SecurityEvent.Kind.TWO_FACTOR_ENROLLED, user=user, actor=user, program_id=_program_id(request),
            ip=client_ip(request))
    session_verify(request, device)
    return Enrolment(device=device, backup_codes=codes)


@transaction.atomic
def backup_codes_renew(*, request) -> list[str]:
    codes = backup_codes_replace(user=request.user)
    _record(SecurityEvent.Kind.BACKUP_CODES_CREATED, user=request.user, actor=request.user,
            program_id=_program_id(request), ip=client_ip(request))
    return codes


# --- The code step ------------------------------------------------------------------------------

def normalize_code(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").lower()


@dataclass(frozen=True)
class CodeCheck:
    device: object | None
    # Seconds to wait when every device refused to check because of too many wrong codes.
    wait_seconds: int = 0


def two_factor_check(user, raw_code: str, *, request=None) -> CodeCheck:
    """Check a code from the authenticator app (6 digits) or a backup code against the user's devices.

    django-otp throttles each device after wrong codes (1, 2, 4, 8… seconds) and deletes a backup code
    once it is used. With ``request``, a refused code is recorded as a security event (never the code).
    """
    code = normalize_code(raw_code)
    kind = TOTPDevice if (code.isdigit() and len(code) == 6) else StaticDevice
    wait = 0
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not isinstance(device, kind):
                continue
            allowed, info = device.verify_is_allowed()
            if not allowed:
                locked_until = (info or {}).get("locked_until")
                if locked_until is not None:
                    wait = max(wait, int((locked_until - timezone.now()).total_seconds()) + 1)
                continue
            if device.verify_token(code):
                return CodeCheck(device=device)
    if request is not None:
        _record_failure(request, user, backup=kind is StaticDevice, throttled=bool(wait))
    return CodeCheck(device=None, wait_seconds=wait)


WRONG_APP_CODE_REASON = "Wrong authenticator code"
WRONG_BACKUP_CODE_REASON = "Wrong backup code"
THROTTLED_CODE_REASON = "Refused: too many wrong codes, waiting"


def _record_failure(request, user, *, backup: bool, throttled: bool) -> None:
    from recovery.signin import security_event_record  # signin imports axes' models: load it late

    reason = THROTTLED_CODE_REASON if throttled else (WRONG_BACKUP_CODE_REASON if backup else WRONG_APP_CODE_REASON)
    security_event_record(kind=SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request, user=user, actor=user,
                          email=user.email, reason=reason)


def session_verify(request, device) -> None:
    """Mark the session as verified by ``device``; a new session key, as at any change of privilege."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


@receiver(user_logged_in, dispatch_uid="lantern_two_factor_on_login")
def on_login(sender, request, user, **kwargs) -> None:
    """After the password step: a user with a confirmed device must give a code before anything else."""
    if request is None or not hasattr(request, "session"):
        return
    if DEVICE_ID_SESSION_KEY in request.session:
        return  # already verified (django-otp's own login forms)
    if user_has_device(user, confirmed=True):
        request.session[PENDING_SESSION_KEY] = True
    else:
        request.session.pop(PENDING_SESSION_KEY, None)


# --- Resets by a program admin ------------------------------------------------------------------

RESET_OTHER_PROGRAM = _(
    "{name} also works in another program, which you do not administer. Only an admin of every program they "
    "work in can reset their two-factor authentication: ask a superuser."
)
RESET_DJANGO_STAFF = _("{name} has Django admin access, so only a superuser can reset their two-factor authentication.")


def two_factor_reset_refusal(*, actor, user, program_ids: set[int] | None = None) -> str | None:
    """Why ``actor`` may not reset the second factor of ``user``, or None when they may.

    A second factor protects every program a person works in, so removing it is for someone who
    administers all of them (their active memberships); a superuser may reset anyone. Django-admin staff
    reach every record: only a superuser resets theirs. ``program_ids``: the active programs of ``user``,
    when the caller has them already (the staff page reads them for every row in one query).
    """
    if actor.is_superuser:
        return None
    if user.is_staff or user.is_superuser:
        return RESET_DJANGO_STAFF.format(name=user.full_name)
    if program_ids is None:
        program_ids = set(Membership.objects.filter(user=user, is_active=True, program__is_active=True)
                          .values_list("program_id", flat=True))
    administered = {m.program_id for m in actor.active_memberships if m.role == Membership.Role.ADMIN}
    if not program_ids <= administered:
        return RESET_OTHER_PROGRAM.format(name=user.full_name)
    return None


@transaction.atomic
def two_factor_reset(*, request, user, reason: str) -> SecurityEvent | None:
    """Remove every second factor of ``user``: at their next request they must enrol again.

    Refused (PermissionDenied, with the reason) unless the admin may (``two_factor_reset_refusal``).
    Their sessions stop being verified at once (django-otp re-reads the device on every request). The
    reset is recorded once, in the admin's program; the audit report of every program the person works or
    worked in shows events about its staff (``audit_report``), so each of them sees it. The user is told in
    the app. None when there was nothing to remove (a second click on the same form).
    """
    refusal = two_factor_reset_refusal(actor=request.user, user=user)
    if refusal:
        raise PermissionDenied(refusal)
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[0]
    if not removed:
        return None
    program_id = _program_id(request)
    event = _record(SecurityEvent.Kind.TWO_FACTOR_RESET, user=user, actor=request.user, program_id=program_id,
                    ip=client_ip(request), reason=reason)
    with in_language_of(user):
        Notification.objects.create(
            recipient=user,
            program_id=program_id,
            kind="two_factor_reset",
            title=str(RESET_NOTIFICATION_TITLE),
            body=gettext("%(admin)s, a program admin, removed your authenticator app and backup codes. You will set "
                         "up two-factor authentication again the next time you sign in. If you did not ask for "
                         "this, tell your program admin.") % {"admin": request.user.full_name},
            url=reverse("twofactor:overview"),
        )
    return event


# --- Enforcement --------------------------------------------------------------------------------

def _allowed_paths() -> frozenset[str]:
    names = ["twofactor:enrol", "twofactor:verify", "logout", "session_status", "healthz"]
    return frozenset(reverse(name) for name in names)


def next_path(request) -> str:
    """Where to come back to: the page asked for; for a form post, the page that showed the form (its
    action may answer POST only); for htmx, the page on screen."""
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return htmx.current_url_abs_path
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        page = urlsplit(referer)
        return f"{page.path}?{page.query}" if page.query else page.path
    # No page named (a browser or an extension that sends no Referer): the form's action if it is a page too,
    # else My day; never a POST-only URL, which would answer 405 after the login.
    return request.path if opens_with_get(request.path) else reverse("home")


def redirect_away(request, url: str) -> HttpResponse:
    """Redirect, also out of an htmx request (which would otherwise swap the target page into a fragment)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _redirect(request, to: str) -> HttpResponse:
    return redirect_away(request, f"{reverse(to)}?{urlencode({'next': next_path(request)})}")


class TwoFactorMiddleware:
    """Nothing but enrolment, the code step, logout, static files and /healthz until the second factor is done.

    Costs no query for users who need no second factor; django-otp itself reads the verified device.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: frozenset[str] | None = None

    def __call__(self, request):
        return self._intercept(request) or self.get_response(request)

    def _intercept(self, request) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.path_info.startswith(settings.STATIC_URL):
            return None
        if self._allowed is None:
            self._allowed = _allowed_paths()
        if request.path_info in self._allowed:
            return None
        pending = request.session.get(PENDING_SESSION_KEY, False)
        if not pending and not two_factor_required(user):
            return None
        if user.is_verified():
            return None
        if pending or user_has_device(user, confirmed=True):
            return _redirect(request, "twofactor:verify")
        return _redirect(request, "twofactor:enrol")
