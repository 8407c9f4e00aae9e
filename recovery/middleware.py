"""Attach the user's current program membership to each request, and check it once per view.

Every view that works inside a program asks ``membership_for(request, *roles)``: one answer for
everyone. No active membership → the "not part of a program" page (403); a role not among ``roles`` →
403. Out-of-scope objects are a separate matter (404, ``visible_to``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

SESSION_KEY = "lantern_program"


def current_membership(request):
    """The membership the user works in now: the one chosen in the session, else the first."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = user.active_memberships
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.program_id == chosen:
            return membership
    return memberships[0]


class NoProgram(PermissionDenied):
    """The signed-in user works in no program: there is nothing of any program to show them."""


WRONG_ROLE = "Your role in this program does not allow this."


def membership_for(request, *roles: str):
    """The membership the user works in now, with one of ``roles`` if any are named.

    Raises ``NoProgram`` (rendered as the "not part of a program" page, 403) without an active
    membership, and ``PermissionDenied`` (403) when the membership's role is not one of ``roles``.
    """
    membership = request.membership
    if membership is None:
        raise NoProgram("You are not part of a program.")
    if roles and membership.role not in roles:
        raise PermissionDenied(WRONG_ROLE)
    return membership


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = current_membership(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NoProgram):
            return render(request, "recovery/no_program.html", status=403)
        return None
