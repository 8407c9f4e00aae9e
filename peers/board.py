"""The certification status board: one function builds the rows the page, the counts and the CSV share."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from peers.models import BOARD_STATUSES, Credential, CredentialType, StaffProfile, Status
from recovery.models import Membership, Program
from recovery.scoping import staff_q


@dataclass(frozen=True)
class BoardFilter:
    status: str = ""
    type: CredentialType | None = None
    sort: str = "expiry"
    former: bool = False

    @classmethod
    def from_form(cls, form) -> BoardFilter:
        if not form.is_valid():
            return cls()
        data = form.cleaned_data
        return cls(status=data["status"], type=data["type"], sort=data["sort"] or "expiry", former=data["former"])


def board_base(user, program: Program, today: date, board_filter: BoardFilter, *,
               progress: bool = True) -> QuerySet[Credential]:
    """Open credentials of the staff the user may see in ``program``, with status, before the status filter
    (``progress=False``: without the training hours, see ``CredentialQuerySet.with_status``)."""
    rows = (
        Credential.objects.visible_to(user).open().filter(membership__program=program)
        .with_status(today, progress=progress).select_related("membership__user", "membership__supervisor", "type")
    )
    if not board_filter.former:
        rows = rows.filter(membership__is_active=True)
    if board_filter.type is not None:
        rows = rows.filter(type=board_filter.type)
    return rows


def status_q(status: str) -> Q:
    """The rows a status tile counts and its filter shows: one definition for both.

    "CE short" is the ``is_ce_short`` flag (``CredentialQuerySet.with_status``), which an expiring
    credential can carry too: the board shows its "CE short" badge next to "Expiring soon", so the tile
    and the filter count every row with that badge. The other tiles count the row's one status.
    """
    if status == Status.CE_SHORT:
        return Q(is_ce_short=True)
    return Q(status=status)


def status_matches(row: Credential, status: str) -> bool:
    """``status_q`` on a row already read (with ``with_status``): the same rule, in Python."""
    return bool(row.is_ce_short) if status == Status.CE_SHORT else row.status == status


def _ordered(rows: QuerySet[Credential], board_filter: BoardFilter) -> QuerySet[Credential]:
    if board_filter.sort == "name":
        return rows.order_by("membership__user__full_name", "type__name", "pk")
    return rows.order_by(F("expires_on").asc(nulls_last=True), "membership__user__full_name", "type__name", "pk")


def board_rows(user, program: Program, today: date, board_filter: BoardFilter) -> QuerySet[Credential]:
    """Exactly what the board shows (and the CSV exports) for this filter, in its order."""
    rows = board_base(user, program, today, board_filter)
    if board_filter.status:
        rows = rows.filter(status_q(board_filter.status))
    return _ordered(rows, board_filter)


def board_page_data(user, program: Program, today: date,
                    board_filter: BoardFilter) -> tuple[list[Credential], list[tuple[Status, int]]]:
    """The board page's rows for this filter (in ``board_rows``' order) and its status tiles' counts, from
    one query: every open credential the tiles count, read once with its status (a program's staff, not
    its participants: a few hundred rows at most), then the counts and the status filter in Python
    (``status_matches``, ``status_q``'s rule). Before: a count, an aggregate and the page, each compiling
    the status expressions (~60 % of the page's CPU). The training progress is read separately, for the
    shown rows in training only (``with_progress``)."""
    everything = list(_ordered(board_base(user, program, today, board_filter, progress=False), board_filter))
    counts = [(status, sum(1 for row in everything if status_matches(row, status))) for status in BOARD_STATUSES]
    if board_filter.status:
        everything = [row for row in everything if status_matches(row, board_filter.status)]
    return everything, counts


PROGRESS_FIELDS = ("training_logged", "experience_logged", "supervision_logged",
                   "training_needed", "experience_needed", "supervision_needed")


def with_progress(rows: list[Credential], today: date) -> list[Credential]:
    """Put the training progress (``with_status``' hours) on the rows in training, in one query if any."""
    training = {row.pk: row for row in rows if row.status == Status.IN_TRAINING}
    if training:
        found = Credential.objects.filter(pk__in=training).with_status(today).values("pk", *PROGRESS_FIELDS)
        for values in found:
            row = training[values.pop("pk")]
            for name, value in values.items():
                setattr(row, name, value)
    return rows


def staff_without_credentials(user, program: Program) -> QuerySet[Membership]:
    """Active peer specialists and supervisors the user may see with no open credential on record."""
    open_credentials = Credential.objects.open().filter(membership=OuterRef("pk"))
    return (
        Membership.objects.filter(staff_q(user), program=program, is_active=True,
                                  role__in=[Membership.Role.PEER, Membership.Role.SUPERVISOR])
        .exclude(Exists(open_credentials)).select_related("user").order_by("user__full_name")
    )


def supervisors_without_training(user, program: Program) -> QuerySet[Membership]:
    """Active staff the user may see who supervise someone (or hold the supervisor role) without a recorded
    DBHDS PRS supervisor training date: a peer's direct supervisor needs it (DOMAIN.md, "Supervision")."""
    supervises = Membership.objects.filter(program=program, supervisor=OuterRef("user_id"), is_active=True)
    trained = StaffProfile.objects.filter(membership=OuterRef("pk"), supervisor_training_on__isnull=False)
    return (
        Membership.objects.filter(staff_q(user), program=program, is_active=True)
        .filter(Q(role=Membership.Role.SUPERVISOR) | Exists(supervises))
        .exclude(Exists(trained)).select_related("user").order_by("user__full_name")
    )


CSV_HEADER = [
    _("Name"), _("Email"), _("Role"), _("Supervisor"), _("Credential"), _("Number"), _("Issued"), _("Expires"),
    _("Days to expiry"), _("Status"), _("CE hours logged this cycle"), _("CE hours still needed"),
    _("Ethics hours logged this cycle"), _("Ethics hours still needed"), _("Training hours still needed"),
    _("Experience hours still needed"), _("Supervision hours still needed"),
]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _hours(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def csv_row(row: Credential) -> list[str]:
    membership = row.membership
    training = row.status == Status.IN_TRAINING
    values = [
        membership.user.full_name, membership.user.email, membership.get_role_display(),
        membership.supervisor.full_name if membership.supervisor else "", row.type.name, row.number,
        row.issued_on, row.expires_on, row.days_to_expiry, Status(row.status).label,
        "" if training else _hours(row.ce_logged), "" if training else _hours(row.ce_needed),
        "" if training else _hours(row.ethics_logged), "" if training else _hours(row.ethics_needed),
        _hours(row.training_needed) if training else "", _hours(row.experience_needed) if training else "",
        _hours(row.supervision_needed) if training else "",
    ]
    return [_cell(value) for value in values]


def write_csv(out, rows: Iterable[Credential]) -> None:
    writer = csv.writer(out)
    writer.writerow([str(heading) for heading in CSV_HEADER])
    for row in rows:
        writer.writerow(csv_row(row))
