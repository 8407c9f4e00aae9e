"""The "My day" home page: one section per app, in this order.

Each entry names a function ``(request) -> dict | None`` and the template that renders its dict; a
function returns None when its section does not apply to the user's role. Each function must run a
fixed number of queries, whatever the size of the caseload (tests/recovery/test_home.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.module_loading import import_string

MY_DAY_SECTIONS: list[tuple[str, str]] = [
    ("clients.my_day.section", "clients/my_day/section.html"),
    ("supervision.my_day.section", "supervision/includes/my_day.html"),
    ("recovery.views.home.team_section", "recovery/includes/my_day_team.html"),
]


@dataclass
class Section:
    template: str
    context: dict


def my_day_sections(request) -> list[Section]:
    sections = []
    for dotted, template in MY_DAY_SECTIONS:
        context = import_string(dotted)(request)
        if context is not None:
            sections.append(Section(template, context))
    return sections
