"""The resource directory: search and filter (on a phone), read an entry, add and edit entries, mark one
verified, categories, CSV import. Entries are the program's own and those shared with it; no page here
shows participant data (the entry's page shows counts only)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from recovery.audit import serves
from recovery.middleware import membership_for
from recovery.models import Membership
from referrals import imports, services
from referrals.forms import CategoryForm, DirectorySearchForm, ImportForm, ResourceForm, VerifyForm
from referrals.models import Category, Referral, Resource
from referrals.models.referrals import Status
from referrals.models.resources import stale_before

ADMIN = Membership.Role.ADMIN
PER_PAGE = 20
NOT_YOURS = gettext_lazy("This entry belongs to another program: its staff keep it up to date.")


def languages_of(program_id: int) -> list[str]:
    rows = (Resource.objects.for_program(program_id).filter(is_active=True)
            .values_list("languages", flat=True))
    return sorted({lang for langs in rows for lang in langs}, key=str.casefold)


def _refer_target(request) -> dict:
    """Where "Refer" buttons lead: the directory opened from a participant's page or a note."""
    for key in ("note", "client"):
        try:
            return {key: uuid.UUID(request.GET[key])}
        except (KeyError, ValueError):
            continue
    return {}


@login_required
@serves("GET")
def resource_list(request):
    program = membership_for(request).program
    today = program.today()
    form = DirectorySearchForm(request.GET or None, program=program, languages=languages_of(program.pk))
    rows = Resource.objects.for_program(program.pk).filter(is_active=True)
    if form.is_valid():
        data = form.cleaned_data
        rows = rows.search(data["q"])
        if data["category"]:
            rows = rows.filter(categories=data["category"])
        if data["language"]:
            rows = rows.filter(languages__contains=[data["language"]])
        if data["cost"]:
            rows = rows.filter(cost=data["cost"])
        if data["stale"]:
            rows = rows.stale(program, today)
    rows = rows.select_related("program").prefetch_related("categories").order_by("organisation", "service_name", "pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    stale_count = Resource.objects.filter(program=program, is_active=True).stale(program, today).count()
    return render(request, "referrals/resource_list.html", {
        "form": form, "page": page, "program": program, "stale_before": stale_before(program, today),
        "stale_count": stale_count, "target": _refer_target(request)})


def _resource(request, resource_uuid: uuid.UUID):
    program = membership_for(request).program
    resource = get_object_or_404(Resource.objects.for_program(program.pk).select_related("verified_by", "program"),
                                 uuid=resource_uuid)
    return program, resource


@login_required
@serves("GET")
def resource_detail(request, resource_uuid: uuid.UUID):
    program, resource = _resource(request, resource_uuid)
    today = program.today()
    # Which resources actually work for our participants: this program's referrals to the entry.
    counts = Referral.objects.filter(resource=resource, client__program=program).aggregate(
        made=Count("pk"), connected=Count("pk", filter=Q(status__in=[Status.CONNECTED, Status.COMPLETED])),
        completed=Count("pk", filter=Q(status=Status.COMPLETED)))
    return render(request, "referrals/resource_detail.html", {
        "resource": resource, "program": program, "stale": resource.is_stale(program, today),
        "counts": counts, "categories": list(resource.categories.all()),
        "mine": resource.program_id == program.pk,
        "verify_form": VerifyForm(today=today, initial={"verified_on": today}),
        "target": _refer_target(request)})


def _save(request, program, resource: Resource, creating: bool):
    form = ResourceForm(request.POST or None, instance=resource, program=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.resource_save(resource=form.save(commit=False), categories=form.cleaned_data["categories"],
                                       shared_with=form.cleaned_data.get("shared_with"), by=request.user)
        messages.success(request, _("Directory entry saved."))
        return redirect(saved)
    cancel = reverse("referrals:resource_list") if creating else resource.get_absolute_url()
    return render(request, "referrals/resource_form.html", {
        "form": form, "resource": resource, "creating": creating, "cancel": cancel})


@login_required
@serves("GET", "POST")
def resource_new(request):
    program = membership_for(request).program
    return _save(request, program, Resource(program=program, verified_on=program.today(), verified_by=request.user),
                 creating=True)


@login_required
@serves("GET", "POST")
def resource_edit(request, resource_uuid: uuid.UUID):
    program, resource = _resource(request, resource_uuid)
    if resource.program_id != program.pk:
        raise PermissionDenied(NOT_YOURS)
    return _save(request, program, resource, creating=False)


@login_required
@serves("POST")
def resource_verify(request, resource_uuid: uuid.UUID):
    program, resource = _resource(request, resource_uuid)
    if resource.program_id != program.pk:
        raise PermissionDenied(NOT_YOURS)
    form = VerifyForm(request.POST, today=program.today())
    if form.is_valid():
        services.resource_verify(resource=resource, by=request.user, on=form.cleaned_data["verified_on"])
        messages.success(request, _("Marked as verified."))
    else:
        messages.error(request, " ".join(form.errors.get("verified_on", [_("Give the day it was verified.")])))
    return redirect(resource)


@login_required
@serves("GET", "POST")
def category_list(request):
    """Program admins: the shipped categories and the program's own (added here, renamed, retired)."""
    program = membership_for(request, ADMIN).program
    form = CategoryForm(request.POST or None, instance=Category(program=program))
    if request.method == "POST" and form.is_valid():
        category = form.save(commit=False)
        category.code = imports.unique_code(program, category.name)
        category.save()
        messages.success(request, _("Category added."))
        return redirect("referrals:category_list")
    categories = Category.objects.for_program(program.pk).annotate(
        entries=Count("resources", filter=Q(resources__program=program)))
    return render(request, "referrals/category_list.html", {"form": form, "categories": categories})


@login_required
@serves("GET", "POST")
def resource_import(request):
    """Program admins: a CSV file of entries, checked first (a dry run lists what would be added, what is
    already in the directory and each row's errors), then imported as checked."""
    program = membership_for(request, ADMIN).program
    context: dict = {"columns": imports.COLUMNS}
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            text = imports.unsign(request.POST.get("checked", ""))
        except imports.BadToken:
            messages.error(request, _("That check has expired: choose the file again."))
            return redirect("referrals:resource_import")
        result = imports.resources_import(program=program, text=text, by=request.user, dry_run=False)
        added, duplicates, errors = len(result.added), len(result.duplicates), len(result.errors)
        messages.success(request, " ".join([
            ngettext("%(count)s entry added to the directory;", "%(count)s entries added to the directory;",
                     added) % {"count": added},
            ngettext("%(count)s already there;", "%(count)s already there;", duplicates) % {"count": duplicates},
            ngettext("%(count)s row with errors skipped.", "%(count)s rows with errors skipped.",
                     errors) % {"count": errors}]))
        return redirect("referrals:resource_list")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = imports.read_upload(form.cleaned_data["file"])
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            context["result"] = imports.resources_import(program=program, text=text, by=request.user, dry_run=True)
            context["checked"] = imports.sign(text)
    context["form"] = form
    return render(request, "referrals/import.html", context)
