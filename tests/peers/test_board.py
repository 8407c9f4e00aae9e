"""The certification status board: counts, filters, sort, CSV export and its query budget (Done-when 1, 5)."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from peers.models import ContinuingEducation, Credential, Status
from recovery.models import Membership, User
from tests.factories import (
    CPRS,
    PR,
    RPRS,
    CredentialFactory,
    UserFactory,
    default_type,
    make_staff,
)

BOARD = reverse("peers:staff_home")
EXPORT = reverse("peers:board_export")


def counts(response) -> dict[str, int]:
    return {status.value: n for status, n in response.context["counts"]}


def board_names(response) -> list[tuple[str, str]]:
    return [(row.membership.user.full_name, row.type.name) for row in response.context["page"].object_list]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def demo_program(db, demo_seeded_once):
    return demo_seeded_once


def test_admin_sees_the_demo_programs_counts(login, demo_program):
    response = login(demo_program.admin).get(BOARD)
    assert response.status_code == 200
    # "CE short" counts every row with its badge: Rosa's CPRS, and Marcus's two expiring credentials.
    assert counts(response) == {"current": 5, "expiring": 2, "expired": 1, "ce_short": 3, "in_training": 2}
    html = response.content.decode()
    assert "Certification status" in html and "Download CSV" in html


def test_filtering_by_expiring_shows_exactly_the_credentials_expiring_within_90_days(login, demo_program):
    program = demo_program.program
    today = program.today()
    expected = {
        (c.membership.user.full_name, c.type.name)
        for c in Credential.objects.filter(membership__program=program, ended_on=None, issued_on__isnull=False,
                                           expires_on__gte=today, expires_on__lte=today + timedelta(days=90))
    }
    assert len(expected) == 2
    client = login(demo_program.admin)
    response = client.get(BOARD, {"status": "expiring"})
    assert set(board_names(response)) == expected
    assert all(row.status == Status.EXPIRING for row in response.context["page"].object_list)
    exported = csv_rows(client.get(EXPORT, {"status": "expiring"}))
    assert [(r["Name"], r["Credential"]) for r in exported] == board_names(response)
    assert {r["Status"] for r in exported} == {"Expiring soon"}


def test_csv_export_has_the_same_rows_in_the_same_order_as_every_filter(login, demo_program):
    client = login(demo_program.admin)
    for query in [{}, {"status": "current"}, {"status": "in_training"}, {"sort": "name"},
                  {"type": str(default_type(RPRS).uuid)}]:
        shown = board_names(client.get(BOARD, query))
        response = client.get(EXPORT, query)
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        assert [(r["Name"], r["Credential"]) for r in csv_rows(response)] == shown, query


def test_counts_do_not_change_with_the_status_filter(login, demo_program):
    client = login(demo_program.admin)
    assert counts(client.get(BOARD, {"status": "expired"})) == counts(client.get(BOARD))


def test_filter_by_credential_type(login, demo_program):
    response = login(demo_program.admin).get(BOARD, {"type": str(default_type(PR).uuid)})
    assert board_names(response) == [("Alex Kim", PR)]
    assert counts(response)["in_training"] == 1


def test_board_sorts_by_soonest_expiry_with_trainees_last(login, demo_program):
    rows = login(demo_program.admin).get(BOARD).context["page"].object_list
    dates = [row.expires_on for row in rows if row.expires_on]
    assert dates == sorted(dates)
    assert [row.status for row in rows][-2:] == ["in_training", "in_training"]


def test_board_sorts_by_name(login, demo_program):
    names = [name for name, _ in board_names(login(demo_program.admin).get(BOARD, {"sort": "name"}))]
    assert names == sorted(names)


def test_csv_row_holds_hours_still_needed(login, demo_program):
    rows = csv_rows(login(demo_program.admin).get(EXPORT, {"status": "ce_short"}))
    assert [(r["Name"], r["Status"], r["CE hours still needed"], r["Ethics hours still needed"])
            for r in rows] == [
        ("Marcus Bell", "Expiring soon", "7", "0"), ("Marcus Bell", "Expiring soon", "1", "0"),
        ("Rosa Delgado", "CE short", "6", "1"),
    ]
    trainee = csv_rows(login(demo_program.admin).get(EXPORT, {"type": str(default_type(PR).uuid)}))[0]
    # The demo trainee logged 21 of 25 supervision hours by hand; the supervision demo's signed sessions
    # count too, so the export shows what the one status computation says is left.
    credential = Credential.objects.with_status(demo_program.program.today()).get(type=default_type(PR))
    assert credential.supervision_needed < 4
    assert (trainee["Training hours still needed"], trainee["Supervision hours still needed"]) == (
        "0", f"{credential.supervision_needed.normalize():f}")


def test_csv_cells_cannot_start_a_spreadsheet_formula(login, frozen_today, admin, program):
    sneaky = make_staff(program, Membership.Role.PEER, full_name="=HYPERLINK(\"http://x\")")
    CredentialFactory(membership=sneaky.memberships.get(), today=frozen_today)
    rows = csv_rows(login(admin).get(EXPORT))
    assert rows[0]["Name"].startswith("'=")


def test_supervisor_sees_their_supervisees_rows_only(login, frozen_today, program_membership, supervisor, peer,
                                                     other_peer,
                                                     other_team_peer):
    for person in (peer, other_peer, other_team_peer, supervisor):
        CredentialFactory(membership=program_membership(person), today=frozen_today)
    client = login(supervisor)
    names = {name for name, _ in board_names(client.get(BOARD))}
    assert names == {peer.full_name, other_peer.full_name, supervisor.full_name}
    assert {r["Name"] for r in csv_rows(client.get(EXPORT))} == names


def test_peer_is_taken_to_their_own_record(login, peer):
    response = login(peer).get(BOARD)
    assert response.status_code == 302
    assert response.url == reverse("peers:staff_detail", args=[peer.uuid])


def test_peer_cannot_export_the_board(login, peer):
    assert login(peer).get(EXPORT).status_code == 403


def test_board_and_export_require_login(client, db):
    for url in (BOARD, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_outsider_sees_nothing_of_another_program(login, frozen_today, program_membership, outsider, peer):
    CredentialFactory(membership=program_membership(peer), today=frozen_today)
    client = login(outsider)
    assert board_names(client.get(BOARD)) == []
    assert csv_rows(client.get(EXPORT)) == []


def test_user_without_a_program_gets_the_not_part_of_a_program_page(login, db):
    response = login(UserFactory()).get(BOARD)
    assert response.status_code == 403
    assert "not part of a program" in response.content.decode()


def test_former_staff_leave_the_board_unless_asked_for(login, frozen_today, program_membership, admin, peer):
    CredentialFactory(membership=program_membership(peer), today=frozen_today)
    Membership.objects.filter(user=peer).update(is_active=False)
    client = login(admin)
    assert board_names(client.get(BOARD)) == []
    assert board_names(client.get(BOARD, {"former": "on"})) == [(peer.full_name, CPRS)]


def test_ended_credentials_leave_the_board(login, frozen_today, program_membership, admin, peer):
    CredentialFactory(membership=program_membership(peer), today=frozen_today, ended_on=frozen_today,
                      end_reason="lapsed")
    assert board_names(login(admin).get(BOARD)) == []


def test_staff_without_any_credential_are_listed_under_the_board(login, frozen_today, program_membership, admin, peer,
                                                                 other_peer,
                                                                  supervisor):
    CredentialFactory(membership=program_membership(peer), today=frozen_today)
    response = login(admin).get(BOARD)
    assert [mm.user for mm in response.context["without_credentials"]] == [other_peer, supervisor]
    assert "No credential on record" in response.content.decode()


def test_an_unknown_filter_value_shows_the_whole_board(login, demo_program):
    client = login(demo_program.admin)
    assert len(board_names(client.get(BOARD, {"status": "bogus"}))) == 11


def _staff_with_credentials(program, supervisor, n: int, today) -> None:
    """``n`` peer specialists, each with two credentials in different states and some CE (bulk inserts)."""
    users = User.objects.bulk_create(
        User(email=f"bulk{i}@example.org", full_name=f"Bulk Peer {i:04d}") for i in range(n)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=u, program=program, role=Membership.Role.PEER, supervisor=supervisor) for u in users
    )
    cprs, rprs = default_type(CPRS), default_type(RPRS)
    credentials = []
    for i, membership in enumerate(memberships):
        expires = today + timedelta(days=(i * 37) % 400 - 20)
        credentials.append(Credential(membership=membership, type=cprs, issued_on=expires - timedelta(days=730),
                                      expires_on=expires, number=f"C{i}"))
        credentials.append(Credential(membership=membership, type=rprs) if i % 3 == 0 else Credential(
            membership=membership, type=rprs, issued_on=today - timedelta(days=100),
            expires_on=today + timedelta(days=265)))
    Credential.objects.bulk_create(credentials)
    ContinuingEducation.objects.bulk_create(
        ContinuingEducation(membership=m, completed_on=today - timedelta(days=20), title="Course", provider="P",
                            hours=Decimal(8), ethics_hours=Decimal(2))
        for m in memberships
    )


@pytest.mark.parametrize("staff", [5, 500])
def test_board_keeps_a_fixed_query_count(login, admin, supervisor, program, django_assert_max_num_queries, staff):
    # 11 today, 5 of them the shared request setup (session, user, memberships, reach, unread count);
    # the rest a little room for that setup to grow.
    _staff_with_credentials(program, supervisor, staff, program.today())
    client = login(admin)
    with django_assert_max_num_queries(14):
        response = client.get(BOARD)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == staff * 2
    with django_assert_max_num_queries(14):
        assert client.get(BOARD, {"status": "expiring", "page": 2}).status_code == 200


@pytest.mark.parametrize("staff", [5, 500])
def test_export_keeps_a_fixed_query_count(login, admin, supervisor, program, django_assert_max_num_queries, staff):
    _staff_with_credentials(program, supervisor, staff, program.today())
    client = login(admin)
    with django_assert_max_num_queries(8):
        response = client.get(EXPORT)
    assert len(csv_rows(response)) == staff * 2


@pytest.mark.parametrize("staff", [5, 500])
def test_supervisor_board_keeps_a_fixed_query_count(login, supervisor, program, django_assert_max_num_queries,
                                                    staff):
    _staff_with_credentials(program, supervisor, staff, program.today())
    client = login(supervisor)
    with django_assert_max_num_queries(14):
        assert client.get(BOARD).status_code == 200


def test_each_tile_counts_exactly_the_rows_its_filter_shows_and_the_badges_on_the_board(
        login, frozen_today, program, admin, peer, other_peer, supervisor):
    """Issue 15, defect 3: the tile once said "CE short 1" over three rows with the badge (an expiring
    credential short of CE shows both badges)."""
    for who, expires_in in ((peer, 30), (other_peer, 60), (supervisor, 150)):  # CPRS, no CE: all CE short
        CredentialFactory(membership=who.memberships.get(program=program), today=frozen_today,
                          expires_in=expires_in)
    http = login(admin)
    everything = http.get(BOARD)
    tiles = counts(everything)
    html = everything.content.decode()
    assert tiles["ce_short"] == 3 == html.count('<span class="badge text-bg-info">CE short</span>')
    assert tiles["expiring"] == 2
    for status, count in tiles.items():
        shown = http.get(BOARD, {"status": status})
        assert shown.context["page"].paginator.count == count, status
        assert len(csv_rows(http.get(EXPORT, {"status": status}))) == count, status
