"""The billing review (issue 20): every reason a note cannot be billed yet, the final billed batch, the
exports equal to the review list, and re-review of a billed note that gets an addendum."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from billing import exports
from billing.models import ClaimBatch, ClaimLine, ReReview
from billing.review import (
    LATE_ENTRY,
    NO_AUTHORIZATION,
    NO_COVERAGE,
    NOT_BILLABLE_STAFF,
    OVER_AUTHORIZATION,
    OVER_CAP,
    review_rows,
)
from billing.services import batch_create
from clients.services import notes as note_services
from recovery.models import AccessLog
from supervision.models import NoteReview
from supervision.reviews import note_review_approve
from tests.billing.conftest import signed_note
from tests.factories import AuthorizationFactory, CoverageFactory, PayerFactory, days, service_code

START, END = days(-45), days(-1)
REFUSED = "Cannot update or delete rows|permission denied"


@pytest.fixture
def medicaid(program):
    return PayerFactory(program=program, name="Medicaid", payer_code="VAMCD")


@pytest.fixture
def authorized(mine, medicaid, registered):
    CoverageFactory(client=mine, payer=medicaid, member_id="M-100")
    return AuthorizationFactory(client=mine, payer=medicaid, units_authorized=40, starts_on=START, ends_on=END,
                                recommended_on=days(-25), number="SA-1")


def rows_by_note(program) -> dict:
    return {row.note.pk: row for row in review_rows(program, START, END)}


def test_a_ready_note_carries_everything_a_claim_needs(program, mine, authorized, peer, supervisor):
    note = signed_note(mine, days(-10), 60)
    row = rows_by_note(program)[note.pk]
    assert row.ready
    assert (row.coverage.member_id, row.coverage.payer.name, row.authorization.number) == ("M-100", "Medicaid",
                                                                                            "SA-1")
    assert (row.registration, row.supervisor, row.note.units_billable) == ("REG-0042", supervisor.full_name, 4)


def test_every_reason_a_note_cannot_be_billed_yet(program, mine, theirs, authorized):
    # not billable staff: other_peer holds no registration
    CoverageFactory(client=theirs, payer=PayerFactory(program=program, kind="grant", requires_authorization=False))
    unregistered = signed_note(theirs, days(-10), 60)
    # no coverage, no authorization: test_no_coverage_and_no_authorization
    # over cap: the day's 16 units are used by the first note
    signed_note(mine, days(-20), 240)
    capped = signed_note(mine, days(-20), 30)
    # over the authorization: 40 units, 16 used, then 24 more, then 4 over
    signed_note(mine, days(-19), 240)
    signed_note(mine, days(-18), 120)
    over = signed_note(mine, days(-17), 60)
    # late entry awaiting review (and over the authorization too: reasons add up)
    late = signed_note(mine, days(-5), 30, late=True)
    rows = rows_by_note(program)
    assert rows[unregistered.pk].reasons == [NOT_BILLABLE_STAFF]
    assert rows[capped.pk].reasons == [OVER_CAP]
    assert rows[over.pk].reasons == [OVER_AUTHORIZATION]
    assert rows[late.pk].reasons == [OVER_AUTHORIZATION, LATE_ENTRY]


def test_no_coverage_and_no_authorization(program, mine, theirs, medicaid, registered, other_peer):
    from tests.factories import RPRS, CredentialFactory, default_type, membership_of

    CredentialFactory(membership=membership_of(other_peer, program), type=default_type(RPRS),
                      issued_on=days(-300), expires_on=days(300))
    uncovered = signed_note(mine, days(-10), 30)
    CoverageFactory(client=theirs, payer=medicaid)
    unauthorized = signed_note(theirs, days(-10), 30)
    rows = rows_by_note(program)
    assert rows[uncovered.pk].reasons == [NO_COVERAGE]
    assert rows[unauthorized.pk].reasons == [NO_AUTHORIZATION]


def test_a_late_entry_bills_once_its_review_is_approved(program, mine, authorized, supervisor):
    late = signed_note(mine, days(-5), 30, late=True)
    assert rows_by_note(program)[late.pk].reasons == [LATE_ENTRY]
    note_review_approve(review=NoteReview.objects.get(note=late), by=supervisor)
    assert rows_by_note(program)[late.pk].ready


def test_outreach_and_unbillable_codes_are_not_listed(program, mine, authorized):
    outreach = signed_note(mine, days(-10), 30, contact_type="outreach")
    assert outreach.pk not in rows_by_note(program)


def test_a_billed_batch_holds_the_ready_notes_and_leaves_the_others(program, mine, authorized, billing_clerk):
    ready = [signed_note(mine, days(-10), 60), signed_note(mine, days(-9), 30)]
    held = signed_note(mine, days(-5), 30, late=True)
    batch = batch_create(program=program, start=START, end=END, by=billing_clerk)
    assert set(batch.lines.values_list("note_id", flat=True)) == {n.pk for n in ready}
    assert list(rows_by_note(program)) == [held.pk]  # billed notes leave the review
    with pytest.raises(ValidationError):
        batch_create(program=program, start=START, end=END, by=billing_clerk)  # nothing ready now


def test_a_billed_batch_is_final_whatever_the_sql(program, mine, authorized, billing_clerk):
    signed_note(mine, days(-10), 60)
    batch = batch_create(program=program, start=START, end=END, by=billing_clerk)
    line = batch.lines.get()
    for sql, params in [
        (f'UPDATE "{ClaimBatch._meta.db_table}" SET period_end = period_start WHERE id = %s', [batch.pk]),
        (f'DELETE FROM "{ClaimBatch._meta.db_table}" WHERE id = %s', [batch.pk]),
        (f'UPDATE "{ClaimLine._meta.db_table}" SET units = 99 WHERE id = %s', [line.pk]),
        (f'DELETE FROM "{ClaimLine._meta.db_table}" WHERE id = %s', [line.pk]),
    ]:
        with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    line.refresh_from_db()
    assert line.units == 4


def test_the_exports_list_exactly_the_notes_the_review_showed_ready(login, program, mine, theirs, authorized,
                                                                    billing_clerk, supervisor):
    CoverageFactory(client=theirs, payer=PayerFactory(program=program, kind="grant", requires_authorization=False))
    signed_note(mine, days(-12), 60)
    signed_note(mine, days(-11), 45)
    signed_note(theirs, days(-11), 30)  # by other_peer, not billable: held
    ready = [row for row in review_rows(program, START, END) if row.ready]
    expected = [[row.note.client.full_name, row.note.client.birth_date.isoformat(), row.coverage.member_id,
                 row.coverage.payer.name, row.coverage.payer.payer_code, row.note.session_date.isoformat(),
                 row.note.service_code.code, str(row.note.units_billable), str(row.note.duration_minutes),
                 row.note.get_setting_display(), row.note.author.full_name, row.registration, row.supervisor,
                 row.authorization.number, str(row.note.uuid)] for row in ready]
    batch = batch_create(program=program, start=START, end=END, by=billing_clerk)
    http = login(billing_clerk)
    response = http.get(reverse("billing:batch_export", args=[batch.uuid, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == exports.HEADERS
    assert rows[1:] == expected
    response = http.get(reverse("billing:batch_export", args=[batch.uuid, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [[c.date().isoformat() if hasattr(c, "date") else ("" if c is None else str(c)) for c in row]
             for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == exports.HEADERS and cells[1:] == expected
    logged = AccessLog.objects.filter(action=AccessLog.Action.EXPORT, object_id=str(batch.uuid))
    assert logged.count() == 2 and set(logged.values_list("user_id", flat=True)) == {billing_clerk.pk}


def test_a_cell_that_looks_like_a_formula_is_written_as_text(program, mine, medicaid, billing_clerk, registered):
    CoverageFactory(client=mine, payer=medicaid, member_id="=HYPERLINK(1)")
    AuthorizationFactory(client=mine, payer=medicaid, starts_on=START, ends_on=END, recommended_on=days(-25))
    signed_note(mine, days(-10), 60)
    batch = batch_create(program=program, start=START, end=END, by=billing_clerk)
    assert "'=HYPERLINK(1)" in exports.batch_csv(batch).decode("utf-8-sig")


def test_an_addendum_to_a_billed_note_flags_it_for_re_review(login, program, mine, authorized, billing_clerk, peer):
    note = signed_note(mine, days(-10), 60)
    unbilled = signed_note(mine, days(-3), 30, late=True)
    batch_create(program=program, start=START, end=END, by=billing_clerk)
    addendum = note_services.note_addendum_add(note=note, author=peer, text="The session ran 50 minutes, not 60.")
    note_services.note_addendum_add(note=unbilled, author=peer, text="Added the place.")
    flag = ReReview.objects.get()
    assert flag.addendum == addendum and flag.line.note == note
    http = login(billing_clerk)
    page = http.get(reverse("billing:review") + f"?month={note.session_date:%Y-%m}").content.decode()
    assert "The session ran 50 minutes, not 60." in page
    assert http.post(reverse("billing:rereview_clear", args=[flag.uuid])).status_code == 302
    flag.refresh_from_db()
    assert flag.cleared_by == billing_clerk
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{ReReview._meta.db_table}" SET cleared_at = NULL WHERE id = %s', [flag.pk])


def test_marking_billed_from_the_page_once_even_when_sent_twice(login, program, mine, authorized, billing_clerk):
    note = signed_note(mine, days(-10), 60)
    http = login(billing_clerk)
    month = f"{note.session_date:%Y-%m}"
    page = http.get(reverse("billing:review"), {"month": month})
    assert page.status_code == 200 and str(note.uuid) in page.content.decode()
    token = page.context["batch_form"]["form_token"].value()
    first = http.post(reverse("billing:batch_new"), {"month": month, "form_token": str(token)})
    again = http.post(reverse("billing:batch_new"), {"month": month, "form_token": str(token)})
    batch = ClaimBatch.objects.get()
    assert first.url == again.url == batch.get_absolute_url()
    assert batch.billed_by == billing_clerk and batch.lines.count() == 1
    assert service_code().code in http.get(batch.get_absolute_url()).content.decode()
