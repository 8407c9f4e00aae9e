"""The billing review of a month, marking its ready notes billed, the batches and their exports."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from billing import exports, services
from billing.forms import BatchForm, PeriodForm
from billing.models import ClaimBatch, ReReview
from billing.review import REASONS, review_rows
from billing.views.common import billing_membership
from recovery.audit import log_access, read_by, serves
from recovery.models import AccessLog
from recovery.once import create_once, earlier_submission

RECENT_BATCHES = 12
EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.batch_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.batch_xlsx),
}


def _period(request, program) -> PeriodForm:
    form = PeriodForm(request.GET or None, today=program.today())
    if not form.is_bound or not form.is_valid():
        form = PeriodForm({"month": form.fields["month"].choices[0][0]}, today=program.today())
        form.is_valid()
    return form


@login_required
@serves("GET", lists="billing.review")
def review(request):
    """The signed, billable notes of a month: ready to bill, or why not yet."""
    program = billing_membership(request).program
    period = _period(request, program)
    start, end = period.bounds
    rows = review_rows(program, start, end)
    ready = [row for row in rows if row.ready]
    held = [row for row in rows if not row.ready]
    counts = [(reason % {"days": program.authorization_start_days},
               sum(1 for row in held if any(r.startswith(str(reason).split("%(")[0]) for r in row.reasons)))
              for reason in REASONS]
    context = {
        "period": period, "start": start, "end": end, "ready": ready, "held": held,
        "counts": [(reason, count) for reason, count in counts if count],
        "ready_units": sum(row.note.units_billable for row in ready),
        "batch_form": BatchForm(initial={"month": period.cleaned_data["month"]}, today=program.today()),
        "rereviews": list(ReReview.objects.visible_to(request.user).open().filter(line__batch__program=program)
                          .select_related("line__batch", "addendum")),
        "batches": list(ClaimBatch.objects.visible_to(request.user).filter(program=program)
                        .select_related("billed_by")[:RECENT_BATCHES]),
    }
    return render(request, "billing/review.html", context)


@login_required
@serves("POST")
def batch_new(request):
    """Mark the month's ready notes billed (final)."""
    program = billing_membership(request).program
    if done := earlier_submission(request):
        return done
    form = BatchForm(request.POST, today=program.today())
    if not form.is_valid():
        messages.error(request, _("Choose a month to bill."))
        return redirect("billing:review")
    start, end = form.bounds

    def create() -> str:
        batch = services.batch_create(program=program, start=start, end=end, by=request.user)
        count = batch.lines.count()
        messages.success(request, ngettext("%(count)s note marked billed. Download the claims below.",
                                            "%(count)s notes marked billed. Download the claims below.",
                                            count) % {"count": count})
        return batch.get_absolute_url()

    try:
        return create_once(request, form.cleaned_data["form_token"], create)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('billing:review')}?month={form.cleaned_data['month']}")


def scoped_batch(request, batch_uuid: uuid.UUID) -> ClaimBatch:
    program = billing_membership(request).program
    return get_object_or_404(ClaimBatch.objects.visible_to(request.user).filter(program=program)
                             .select_related("billed_by"), uuid=batch_uuid)


@login_required
@serves("GET")
def batch_detail(request, batch_uuid: uuid.UUID):
    batch = scoped_batch(request, batch_uuid)
    read_by(request, batch, program_id=batch.program_id)
    lines = list(batch.lines.select_related("note"))
    return render(request, "billing/batch_detail.html", {
        "batch": batch, "lines": lines, "units": sum(line.units for line in lines)})


@login_required
@serves("GET")
def batch_export(request, batch_uuid: uuid.UUID, fmt: str):
    """The batch in the claim-ready layout (billing.exports), logged as an export."""
    if fmt not in EXPORTS:
        raise Http404
    batch = scoped_batch(request, batch_uuid)
    content_type, build = EXPORTS[fmt]
    response = HttpResponse(build(batch), content_type=content_type)
    name = f"claims-{batch.period_start:%Y-%m}-{batch.uuid.hex[:8]}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    log_access(request, batch, action=AccessLog.Action.EXPORT, program_id=batch.program_id)
    return response


@login_required
@serves("POST")
def rereview_clear(request, rereview_uuid: uuid.UUID):
    """Billing looked at a billed note's addendum."""
    program = billing_membership(request).program
    rereview = get_object_or_404(ReReview.objects.visible_to(request.user).filter(line__batch__program=program),
                                 uuid=rereview_uuid)
    services.rereview_clear(rereview=rereview, by=request.user)
    messages.success(request, _("Marked as looked at."))
    return redirect("billing:review")
