"""Sign-in security: lockout after failed logins, the security events of signing in, and password-reset
throttling.

Lockout (django-axes, configured in settings.py):

* **Per account**: ``AXES_FAILURE_LIMIT`` (5) failed logins for one email, from any mix of addresses, lock
  that account for ``AXES_COOLOFF_TIME``. The email is normalised (trimmed, lower case) so ``Pat@X.org``
  and ``pat@x.org`` count together, as they are one account (``UserManager.get_by_natural_key``).
* **Per address, against password spraying**: an address from which logins failed for
  ``LOGIN_ADDRESS_ACCOUNT_LIMIT`` (20) *different* emails within the cool-off is blocked. Counting distinct
  accounts rather than failures means colleagues behind one office or proxy address never lock each other
  out by typos: a colleague who keeps retrying their own locked account still counts once, and an
  unrelated person's first typo is their own account's first failure. Only someone trying many accounts
  reaches the limit.

The address is ``recovery.audit.client_ip`` (the one function for every client address), so a client
cannot choose it with a forged X-Forwarded-For header.

Events: every failed login, lockout, wrong two-factor code and password-reset request is an append-only
``SecurityEvent``. The typed password or code is never stored; the typed email is, normalised. An event
about a known person has no program of its own and shows in the audit report of every program the person
is or was a member of. An event for an email that matches no account belongs to no program: telling one
program's admins which addresses were typed would show them other programs' staff typos, so such rows are
shown to superusers only (Django admin, Security events).
"""

from __future__ import annotations

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from recovery.audit import client_ip
from recovery.models import SecurityEvent

User = get_user_model()

LOCKED_ACCOUNT_REASON = "{count} failed sign-ins for this account"
LOCKED_ADDRESS_REASON = "Failed sign-ins for {count} different accounts from this address"
REFUSED_WHILE_LOCKED_REASON = "Refused: sign-in was locked"
RESET_ACCOUNT_LIMIT_REASON = "More than {limit} requests for this email in an hour"
RESET_ADDRESS_LIMIT_REASON = "More than {limit} requests from this address in an hour"


def email_normalize(raw: str | None) -> str:
    """The form of a typed email that identifies an account: trimmed, lower case (logins ignore case)."""
    return (raw or "").strip().lower()[:254]


def account_for(email: str):
    """The account an email signs in to (case-insensitive), or None."""
    if not email:
        return None
    return User.objects.filter(email__iexact=email).first()


def security_event_record(*, kind: str, request, user=None, actor=None, email: str = "",
                          program_id: int | None = None, reason: str = "") -> SecurityEvent:
    """Append one security event, from the request's client address."""
    return SecurityEvent.objects.create(
        kind=kind, user=user, actor=actor, email=email_normalize(email), program_id=program_id,
        ip=client_ip(request), reason=reason[:300],
    )


# --- Login lockout (django-axes) ----------------------------------------------------------------

def login_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account an attempt is for. Our login form posts the email as ``username``."""
    field = "username"
    raw = (credentials or {}).get(field)
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get(field)
    return email_normalize(raw) or None


def _address_accounts(request) -> int:
    """How many different emails failed to sign in from the request's address within the cool-off."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    return recent.values("username").distinct().count()


class LanternAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, address-wide limit, and a security event for every failure.

    Axes itself counts failures per account (``AXES_LOCKOUT_PARAMETERS = ["username"]``).
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and _address_accounts(request) >= settings.LOGIN_ADDRESS_ACCOUNT_LIMIT:
            return limit
        return failures

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        # Locked before this attempt: axes' backend refused it without checking the password.
        AxesProxyHandler.update_request(request)
        was_locked = self.get_failures(request, credentials) >= get_failure_limit(request, credentials)
        super().user_login_failed(sender, credentials, request, **kwargs)
        email = login_username(request, credentials) or ""
        user = account_for(email)
        security_event_record(kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, user=user, email=email,
                              reason=REFUSED_WHILE_LOCKED_REASON if was_locked else "")
        if getattr(request, "axes_locked_out", False) and not was_locked:
            security_event_record(kind=SecurityEvent.Kind.LOCKED_OUT, request=request, user=user, email=email,
                                  reason=self._lock_reason(request, credentials))

    def _lock_reason(self, request, credentials) -> str:
        account = AxesDatabaseHandler.get_failures(self, request, credentials)
        if account >= get_failure_limit(request, credentials):
            return LOCKED_ACCOUNT_REASON.format(count=account)
        return LOCKED_ADDRESS_REASON.format(count=_address_accounts(request))


# --- Password-reset throttling ------------------------------------------------------------------

def _lock(*keys: str) -> None:
    """Serialise concurrent requests for the same keys until the transaction ends (no double counting)."""
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


@transaction.atomic
def password_reset_request(*, request, email: str) -> bool:
    """Record a password-reset request; True when the email may be sent, False when it is throttled.

    At most ``PASSWORD_RESET_ACCOUNT_LIMIT`` emails per hour go to one address (counted per typed email,
    known or not, so the answer never depends on whether the account exists), and at most
    ``PASSWORD_RESET_ADDRESS_LIMIT`` requests per hour are taken from one client address.
    """
    email = email_normalize(email)
    address = client_ip(request)
    _lock(f"reset-email:{email}", f"reset-ip:{address}")
    since = timezone.now() - timedelta(hours=1)
    sent = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, email=email, at__gte=since)
    reason = ""
    if sent.count() >= settings.PASSWORD_RESET_ACCOUNT_LIMIT:
        reason = RESET_ACCOUNT_LIMIT_REASON.format(limit=settings.PASSWORD_RESET_ACCOUNT_LIMIT)
    elif address and SecurityEvent.objects.filter(
        kind__in=[SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, SecurityEvent.Kind.PASSWORD_RESET_THROTTLED],
        ip=address, at__gte=since,
    ).count() >= settings.PASSWORD_RESET_ADDRESS_LIMIT:
        reason = RESET_ADDRESS_LIMIT_REASON.format(limit=settings.PASSWORD_RESET_ADDRESS_LIMIT)
    kind = SecurityEvent.Kind.PASSWORD_RESET_THROTTLED if reason else SecurityEvent.Kind.PASSWORD_RESET_REQUESTED
    security_event_record(kind=kind, request=request, user=account_for(email), email=email, reason=reason)
    return not reason
