"""The note review queue: the supervisor reads a supervisee's signed note, approves it or returns it."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recovery.audit import log_access, serves
from recovery.http import carry_out
from recovery.middleware import membership_for
from recovery.models import Membership
from supervision import reviews
from supervision.forms import ReturnForm
from supervision.models import NoteReview, NoteReviewDecision
from supervision.views.common import SUPERVISING_ROLES

PAGE_SIZE = 25
TURNAROUND_DAYS = 30


def scoped_review(request, review_uuid) -> NoteReview:
    """A review of the current program the user may see (the note's participant and its author), or 404."""
    program_id = membership_for(request).program_id
    queryset = NoteReview.objects.visible_to(request.user).filter(author_membership__program_id=program_id)
    return get_object_or_404(
        queryset.select_related("note__client__program", "note__author", "note__service_code",
                                "author_membership__user", "author_membership__supervisor"),
        uuid=review_uuid,
    )


def turnaround_decisions(user, membership, whole_program: bool):
    """The decisions the turnaround figure counts: the program's (an admin's whole-program queue), else those
    on the reviews ``user`` decides (and, for a supervisor, decided by them). Scoped by the reviewed author's
    membership, not by each note's participant: the figure names nobody, and the participant join made it
    read every review of the program; with the decided_at window first, it reads one month of decisions.
    Each decision's author membership is looked up by its review's key (a probe per decision of the window)
    rather than joined: the join read all 100,000 reviews into a hash for ~3,000 decisions (10 → 4 ms)."""
    authors = Membership.objects.filter(program_id=membership.program_id)
    if not whole_program:
        authors = authors.filter(supervisor=user, is_active=True)
    author = Subquery(NoteReview.objects.filter(pk=OuterRef("review_id")).order_by().values("author_membership_id"))
    decisions = NoteReviewDecision.objects.alias(author_membership_id=author).filter(
        author_membership_id__in=authors.values("pk"))
    return decisions if membership.is_admin else decisions.filter(decided_by=user)


def turnaround(decisions) -> dict:
    """How many decisions in the last TURNAROUND_DAYS days, and how long notes waited for them on average."""
    since = timezone.now() - datetime.timedelta(days=TURNAROUND_DAYS)
    stats = decisions.filter(decided_at__gte=since).aggregate(count=Count("pk"), average=Avg("waited"))
    average = stats["average"]
    return {"count": stats["count"], "average": average, "days": TURNAROUND_DAYS,
            "average_text": duration_text(average) if average is not None else ""}


def duration_text(value: datetime.timedelta) -> str:
    """A waiting time in words: "2 days 4 hours", "5 hours", "40 minutes"."""
    hours, seconds = divmod(int(value.total_seconds()), 3600)
    days, hours = divmod(hours, 24)
    day_text = ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    hour_text = ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    if days:
        return _("%(days)s %(hours)s") % {"days": day_text, "hours": hour_text} if hours else day_text
    if hours:
        return hour_text
    minutes = seconds // 60
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


@dataclass(frozen=True)
class Author:
    """A peer specialist of the queue's "Written by" filter."""

    pk: int
    uuid: uuid.UUID
    full_name: str


def queue_keys(pending) -> tuple[list[int], list[tuple[int, int]], list[Author]]:
    """The pending reviews' ids in queue order with their author's user id, and the authors by name: one
    scoped query instead of three (the authors, the count, the page: each joined every pending review to
    its note and participant for the scoping)."""
    rows = list(pending.queue_order().values_list(
        "pk", "author_membership__user_id", "author_membership__user__uuid", "author_membership__user__full_name"))
    authors = {user_id: Author(user_id, user_uuid, name) for _, user_id, user_uuid, name in rows}
    return [(pk, user_id) for pk, user_id, _, _ in rows], sorted(authors.values(), key=lambda a: a.full_name)


@login_required
@serves("GET", lists="supervision.review_queue")
def review_queue(request):
    """Notes waiting for review (a supervisor: theirs to decide; an admin: the program's): crisis notes
    first, then oldest first; ``?peer=<uuid>`` keeps one author's."""
    membership = membership_for(request, *SUPERVISING_ROLES)
    visible = NoteReview.objects.visible_to(request.user).filter(author_membership__program=membership.program)
    mine = visible if membership.is_admin and not request.GET.get("mine") else visible.for_reviewer(request.user)
    related = ("note__client", "author_membership__user", "author_membership__supervisor")
    keys, authors = queue_keys(mine.pending())
    chosen = next((a for a in authors if str(a.uuid) == request.GET.get("peer", "")), None)
    page = Paginator([pk for pk, user_id in keys if chosen is None or user_id == chosen.pk], PAGE_SIZE).get_page(
        request.GET.get("page"))
    if page.object_list:
        found = mine.pending().filter(pk__in=page.object_list).select_related(*related).in_bulk()
        page.object_list = [found[pk] for pk in page.object_list if pk in found]
    return render(request, "supervision/review_queue.html", {
        "page": page, "returned": list(mine.returned().select_related(*related).order_by("decided_at", "pk")),
        "turnaround": turnaround(turnaround_decisions(request.user, membership, mine is visible)),
        "whole_program": membership.is_admin and not request.GET.get("mine"),
        "authors": authors, "chosen": chosen, "mine_param": request.GET.get("mine", ""),
    })


def _render_detail(request, review: NoteReview, form: ReturnForm | None = None, status: int = 200):
    note = review.note
    is_reviewer = review.author_membership.supervisor_id == request.user.pk
    log_access(request, review, client_uuid=note.client.uuid, program_id=note.client.program_id)
    return render(request, "supervision/review_detail.html", {
        "review": review, "note": note, "addenda": list(note.addenda.select_related("author")),
        "goals": [ng.goal for ng in note.note_goals.select_related("goal")],
        "services": [ns.service for ns in note.note_services.select_related("service")],
        "decisions": list(review.decisions.select_related("decided_by")),
        "is_reviewer": is_reviewer, "is_author": note.author_id == request.user.pk,
        "form": form or (ReturnForm() if is_reviewer and review.is_pending else None),
    }, status=status)


@login_required
@serves("GET")
def review_detail(request, review_uuid):
    return _render_detail(request, scoped_review(request, review_uuid))


@login_required
@serves("POST")
def review_approve(request, review_uuid):
    review = scoped_review(request, review_uuid)
    if not carry_out(request, lambda: reviews.note_review_approve(review=review, by=request.user),
                     success=_("Note approved: it has left the queue.")):
        return redirect(review)
    if request.POST.get("next"):  # "Approve and next": the next note this reviewer has to decide
        following = (NoteReview.objects.visible_to(request.user).for_reviewer(request.user).pending()
                     .filter(author_membership__program=review.author_membership.program).queue_order().first())
        if following is not None:
            return redirect(following)
        messages.info(request, _("That was the last note waiting for your review."))
    return redirect("supervision:review_queue")


@login_required
@serves("POST")
def review_return(request, review_uuid):
    review = scoped_review(request, review_uuid)
    if review.author_membership.supervisor_id != request.user.pk:
        raise PermissionDenied(reviews.NOT_THE_REVIEWER)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, review, form)
    comment = form.cleaned_data["comment"]
    if not carry_out(request, lambda: reviews.note_review_return(review=review, by=request.user, comment=comment),
                     success=_("Note returned: its author is asked for an addendum.")):
        return redirect(review)
    return redirect("supervision:review_queue")
