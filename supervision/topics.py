"""The default topics a supervision session can cover, copied into each program (``program_defaults``);
each program's admins edit their own.

The list follows what peer supervision in Virginia covers (DOMAIN.md, "Supervision"): ethics and
boundaries first, then the peer's own wellness, their caseload, their skills and their records.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from recovery.reference import missing_created

# Names are stored in each program (admins rename them); the shipped ones are in the catalogue
# (gettext_noop) and pages show them through {% translate %} / gettext, so renamed ones show as typed.

# (code, position, name)
DEFAULT_TOPICS: list[tuple[str, int, str]] = [
    ("ethics-boundaries", 1, gettext_noop("Ethics and boundaries")),
    ("self-care", 2, gettext_noop("Self-care and burnout")),
    ("case-review", 3, gettext_noop("Case review")),
    ("skills", 4, gettext_noop("Skills development")),
    ("documentation", 5, gettext_noop("Documentation")),
    ("resources", 6, gettext_noop("Community resources")),
    ("crisis-safety", 7, gettext_noop("Crisis response and safety")),
    ("cultural-humility", 8, gettext_noop("Cultural humility")),
    ("certification", 9, gettext_noop("Certification and training progress")),
]


def topics_load_defaults(topic_model, program=None) -> None:
    """Create the default topics ``program`` lacks (``topic_model`` may be a migration's model; ``program``
    None: the install-wide rows of the migrations before topics became per program)."""
    scope = {"program_id": program.pk} if program is not None else {}
    missing_created(topic_model, "code", [{"code": code, "position": position, "name": name}
                                          for code, position, name in DEFAULT_TOPICS], **scope)


def program_defaults(program) -> None:
    """Copy the default topics into ``program`` (only those it lacks)."""
    from supervision.models import Topic

    topics_load_defaults(Topic, program)
