"""The "My day" home page: one section per app, then the user's team.

``MY_DAY_SECTIONS`` holds ``(function, template)`` pairs that the apps add in their
``AppConfig.ready()`` (in INSTALLED_APPS order: clients, then supervision; recovery imports no app). A
function takes the request and returns the dict its template renders, or None when its section does not
apply to the user's role. The team section, recovery's own, comes last. Each function must run a fixed
number of queries, whatever the size of the caseload (tests/recovery/test_home.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import npgettext

from recovery.compiled import compiled_list, record_key
from recovery.models import Membership

MY_DAY_SECTIONS: list[tuple[Callable[[HttpRequest], dict | None], str]] = []

# How many of each role, in words after the number.
STAFF_NOUNS: dict[str, Callable[[int], str]] = {
    Membership.Role.PEER: lambda n: npgettext("staff count", "peer specialist", "peer specialists", n),
    Membership.Role.SUPERVISOR: lambda n: npgettext("staff count", "supervisor", "supervisors", n),
    Membership.Role.ADMIN: lambda n: npgettext("staff count", "program admin", "program admins", n),
    Membership.Role.BILLING: lambda n: npgettext("staff count", "billing clerk", "billing clerks", n),
}


@dataclass
class Section:
    """A rendered section of a page made of sections (My day, the participant page)."""

    template: str
    context: dict


def team_section(request) -> dict | None:
    """Who the user works with: their supervisor, their supervisees, or the program's staff counts."""
    membership = request.membership
    context: dict = {"membership": membership}
    key = ("team", record_key(membership))  # the SQL depends on the program and the user alone
    if membership.is_supervisor or membership.is_admin:
        context["supervisees"] = compiled_list(("supervisees", *key), lambda: (
            Membership.objects.filter(program_id=membership.program_id, supervisor=request.user, is_active=True)
            .select_related("user")
            .order_by("user__full_name")))
    if membership.is_admin:
        counts = {role: 0 for role, _ in Membership.Role.choices}
        rows = compiled_list(("roles", *key), lambda: (
            Membership.objects.filter(program_id=membership.program_id, is_active=True).values_list("role")))
        for (role,) in rows:
            counts[role] += 1
        # Billing clerks are counted where a program has them (many programs bill without one).
        context["staff_counts"] = [(label, counts[role]) for role, label in Membership.Role.choices
                                   if counts[role] or role != Membership.Role.BILLING]
        # The same, said in words: "2 peer specialists" (the plural as the language makes it).
        context["staff_count_words"] = [(counts[role], STAFF_NOUNS[role](counts[role]))
                                        for role, _label in Membership.Role.choices
                                        if counts[role] or role != Membership.Role.BILLING]
    return context


def my_day_sections(request) -> list[Section]:
    sections = []
    for function, template in [*MY_DAY_SECTIONS, (team_section, "recovery/includes/my_day_team.html")]:
        context = function(request)
        if context is not None:
            sections.append(Section(template, context))
    return sections
