"""Parts of the clients app's pages that apps above clients add (like ``sections.section_add``).

A page names a place (``EXTRA_PLACES``) and renders its parts with the ``extras`` template tag
(clients/templatetags/client_extras.py): ``{% extras "note_page" note=note client=client as parts %}``, then
``{% for part in parts %}{% include part.template with part=part.context %}{% endfor %}``. An app adds
``extra_add(place, function, template)`` in its ``AppConfig.ready()``; ``function(request, **objects)``
returns the dict its template renders, or None to show nothing. Each function runs a fixed number of
queries. A part shown on a page that shows participant data adds no access-log row: the page has one.

Places:

* ``note_page``: the session note's page (``note``, ``client``).
* ``note_form``: the session note form, writing or editing (``client``, ``note``; either may be None).
* ``plan_page``: a recovery plan's page, after its goals (``plan``).
* ``followup_done``: a follow-up's page, in place of its "Mark it done" form when a part answers
  (``followup``): completing that follow-up needs more than a click.
"""

from __future__ import annotations

from collections.abc import Callable

from recovery.dashboards import Section

EXTRA_PLACES = ("note_page", "note_form", "plan_page", "followup_done")
EXTRAS: dict[str, list[tuple[Callable[..., dict | None], str]]] = {place: [] for place in EXTRA_PLACES}


def extra_add(place: str, function: Callable[..., dict | None], template: str) -> None:
    EXTRAS[place].append((function, template))


def extras(request, place: str, **objects) -> list[Section]:
    parts = []
    for function, template in EXTRAS[place]:
        context = function(request, **objects)
        if context is not None:
            parts.append(Section(template, context))
    return parts
