"""A program's reference lists (service codes, services provided, discharge reasons, supervision topics...),
edited by its admins: each list is registered by its app (recovery.reference.REFERENCE_LISTS)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from recovery.audit import serves
from recovery.http import create_page
from recovery.middleware import membership_for
from recovery.models import Membership
from recovery.once import OnceMixin
from recovery.reference import REFERENCE_LISTS, ReferenceList

ADMIN = Membership.Role.ADMIN


def _list(slug: str) -> ReferenceList:
    try:
        return REFERENCE_LISTS[slug]
    except KeyError as error:
        raise Http404("No such list.") from error


@login_required
@serves("GET")
def reference_index(request):
    membership_for(request, ADMIN)
    return render(request, "recovery/reference/index.html", {"lists": list(REFERENCE_LISTS.values())})


@login_required
@serves("GET")
def reference_list(request, slug: str):
    """One list of the current program: offered values first, then retired ones."""
    program = membership_for(request, ADMIN).program
    chosen = _list(slug)
    items = list(chosen.model.objects.filter(program=program).order_by("-is_active", "position", "code"))
    columns = [chosen.model._meta.get_field(name) for name in chosen.columns]
    rows = [(item, [getattr(item, field.name) for field in columns]) for item in items]
    return render(request, "recovery/reference/list.html", {
        "list": chosen, "rows": rows, "headers": [field.verbose_name for field in columns]})


@login_required
@serves("GET", "POST")
def reference_new(request, slug: str):
    program = membership_for(request, ADMIN).program
    chosen = _list(slug)
    form_class = type(f"New{chosen.form.__name__}", (OnceMixin, chosen.form), {})
    return create_page(request, lambda: form_class(request.POST or None, program=program),
                       "recovery/reference/form.html", {"list": chosen, "item": None},
                       success=_("Added to %(list)s.") % {"list": str(chosen.title).lower()},
                       create=lambda form: _saved(form, reverse("reference_list", args=[slug])))


def _saved(form, then: str) -> str:
    form.save()
    return then


@login_required
@serves("GET", "POST")
def reference_edit(request, slug: str, item_id: int):
    """Edit or retire one value of the program's list (another program's: 404)."""
    program = membership_for(request, ADMIN).program
    chosen = _list(slug)
    item = get_object_or_404(chosen.model.objects.filter(program=program), pk=item_id)
    in_use = chosen.in_use(item)
    form = chosen.form(request.POST or None, instance=item, program=program, in_use=in_use)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("reference_list", slug=slug)
    return render(request, "recovery/reference/form.html", {"list": chosen, "form": form, "item": item,
                                                            "in_use": in_use})
