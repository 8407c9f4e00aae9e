"""Two-factor pages: a user's own settings, enrolment, the code step at login, backup codes, and the
program admin's overview of staff with the reset of a second factor. Rules live in recovery/twofactor.py."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.audit import serves
from recovery.forms import CodeForm, EnrolForm, ResetForm
from recovery.http import next_url
from recovery.middleware import membership_for
from recovery.models import Membership, User
from recovery.scoping import staff_q
from recovery.twofactor import (
    backup_codes_left,
    backup_codes_renew,
    session_verify,
    totp_device_of,
    totp_secret_new,
    two_factor_check,
    two_factor_enrol,
    two_factor_required,
    two_factor_reset,
    two_factor_reset_refusal,
)

ENROL_KEY_SESSION_KEY = "lantern_2fa_enrol_key"
NEW_CODES_SESSION_KEY = "lantern_2fa_new_codes"

WRONG_CODE = "That code did not work. Type the current code from your app, or an unused backup code."
THROTTLED = "Too many wrong codes. Wait {seconds} seconds, then try again."
LOW_BACKUP_CODES = "You have {count} backup codes left. Create new ones from Two-factor authentication."


def _next_url(request, default: str = "home") -> str:
    return next_url(request) or reverse(default)


@login_required
@serves("GET")
def overview(request):
    user = request.user
    context = {
        "device": totp_device_of(user),
        "codes_left": backup_codes_left(user),
        "required": two_factor_required(user),
    }
    return render(request, "twofactor/overview.html", context)


def _qr_data_uri(user, key: str) -> str:
    url = TOTPDevice(user=user, key=key).config_url
    return segno.make(url, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@serves("GET", "POST")
def enrol(request):
    user = request.user
    has_device = totp_device_of(user) is not None
    if has_device and not user.is_verified():
        return redirect(f"{reverse('twofactor:verify')}?{urlencode({'next': _next_url(request)})}")
    if request.method == "POST" and ENROL_KEY_SESSION_KEY not in request.session and has_device:
        return redirect("twofactor:overview")  # a second click on a form that already did its work
    key = request.session.setdefault(ENROL_KEY_SESSION_KEY, totp_secret_new())
    form = EnrolForm(key, request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = two_factor_enrol(request=request, key=key, last_t=form.step)
        request.session.pop(ENROL_KEY_SESSION_KEY, None)
        request.session[NEW_CODES_SESSION_KEY] = enrolment.backup_codes
        messages.success(request, _("Two-factor authentication is on."))
        return redirect(f"{reverse('twofactor:backup_codes')}?{urlencode({'next': _next_url(request)})}")
    secret = b32encode(unhexlify(key.encode())).decode()
    return render(request, "twofactor/enrol.html", {
        "form": form, "qr": _qr_data_uri(user, key), "secret": _grouped(secret), "replacing": has_device,
        "next": _next_url(request),
    })


@never_cache
@login_required
@serves("GET", "POST")
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        return redirect(f"{reverse('twofactor:enrol')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor_check(user, form.cleaned_data["code"], request=request)
        if check.device is not None:
            session_verify(request, check.device)
            if isinstance(check.device, StaticDevice):
                left = backup_codes_left(user)
                if left <= 3:
                    messages.warning(request, LOW_BACKUP_CODES.format(count=left))
            return redirect(_next_url(request))
        form.add_error("code", THROTTLED.format(seconds=check.wait_seconds) if check.wait_seconds else WRONG_CODE)
    return render(request, "twofactor/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@serves("GET", "POST")
def backup_codes(request):
    """New codes are shown once: on the page right after they were made, never again."""
    if request.method == "POST":
        if not (request.user.is_verified() and totp_device_of(request.user)):
            return redirect("twofactor:overview")
        request.session[NEW_CODES_SESSION_KEY] = backup_codes_renew(request=request)
        return redirect("twofactor:backup_codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    return render(request, "twofactor/backup_codes.html", {
        "codes": codes, "codes_left": backup_codes_left(request.user), "next": _next_url(request),
    })


def _admin_program_id(request) -> int:
    return membership_for(request, Membership.Role.ADMIN).program_id


def _staff_rows(request, program_id: int) -> list[dict]:
    memberships = list(
        Membership.objects.filter(program_id=program_id).select_related("user", "program")
        .order_by("-is_active", "user__full_name")
    )
    user_ids = [m.user_id for m in memberships]
    apps = dict(TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", "created_at"))
    codes = dict(
        StaticDevice.objects.filter(user_id__in=user_ids, confirmed=True)
        .annotate(left=Count("token_set")).values_list("user_id", "left")
    )
    works_in: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    for user_id, other_program_id in Membership.objects.filter(
        user_id__in=user_ids, is_active=True, program__is_active=True
    ).values_list("user_id", "program_id"):
        works_in[user_id].add(other_program_id)
    return [{
        "membership": m,
        "required": m.role != Membership.Role.PEER or m.program.require_two_factor_for_peers,
        "app_since": apps.get(m.user_id),
        "codes_left": codes.get(m.user_id),
        "refusal": two_factor_reset_refusal(actor=request.user, user=m.user, program_ids=works_in[m.user_id]),
    } for m in memberships]


def _program_staff(request, program_id: int):
    return User.objects.filter(staff_q(request.user, prefix="memberships__"), memberships__program_id=program_id)


@login_required
@serves("GET")
def staff(request):
    return _staff_page(request)


def _staff_page(request, reset_form: ResetForm | None = None, reset_user: User | None = None, status: int = 200):
    """The program's staff with their second factors; a reset is offered only where this admin may reset
    (``two_factor_reset_refusal``), otherwise the button is disabled and says why."""
    program_id = _admin_program_id(request)
    if reset_user is None and request.GET.get("reset"):
        try:
            reset_user = _program_staff(request, program_id).filter(uuid=request.GET["reset"]).first()
        except ValidationError:  # not a UUID: show the page without the reset panel
            reset_user = None
    return render(request, "twofactor/staff.html", {
        "rows": _staff_rows(request, program_id),
        "reset_user": reset_user,
        "reset_refusal": reset_user and two_factor_reset_refusal(actor=request.user, user=reset_user),
        "reset_form": reset_form or ResetForm(),
    }, status=status)


@serves("POST")
@login_required
def reset(request, user_uuid):
    program_id = membership_for(request).program_id
    target = get_object_or_404(_program_staff(request, program_id).distinct(), uuid=user_uuid)
    _admin_program_id(request)  # 403 for anyone but a program admin (after the 404 of someone out of reach)
    if two_factor_reset_refusal(actor=request.user, user=target):
        return _staff_page(request, reset_user=target, status=403)
    form = ResetForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, reset_form=form, reset_user=target, status=400)
    if two_factor_reset(request=request, user=target, reason=form.cleaned_data["reason"]):
        messages.success(request, _("Two-factor authentication of %(name)s was reset. They were told.")
                         % {"name": target.full_name})
    else:
        messages.info(request, _("%(name)s has no two-factor device to reset.") % {"name": target.full_name})
    return redirect("twofactor:staff")
