"""Attach the user's current program membership to each request."""

from __future__ import annotations

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


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = current_membership(request)
        return self.get_response(request)
