"""Issue 15, point 8: a peer documents a group of three on one page, each participant's response and
"Sign all", in two page loads (was seven or more: the group form, the group, then each note's edit page and
its signature), on a 360 px wide screen, every page axe-clean."""

from __future__ import annotations

from playwright.sync_api import expect

from clients.models import GroupSession, SessionNote
from tests.browser.conftest import session_length
from tests.browser.test_notes_journey import PHONE, check, field
from tests.factories import ClientFactory, service_code, support_services


def test_document_a_group_of_three_and_sign_all_in_two_page_loads(page, live_server, program, peer, browser_login,
                                                                   assert_accessible, assert_fits_phone):
    service_code()  # the data migration's rows: a browser test's database was flushed
    support_services()
    names = ["Ada Group", "Ben Group", "Cy Group"]
    members = [ClientFactory(program=program, primary_peer=peer, full_name=name) for name in names]
    ClientFactory(program=program, primary_peer=peer, full_name="Dee Absent")
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    expect(page.get_by_role("heading", level=1)).to_have_text("My day")

    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    page.get_by_role("link", name="Log a group session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a group session")
    expect(page.get_by_label("Dee Absent's response")).to_be_hidden()  # shown once ticked
    field(page, "Topic").fill("Coping with cravings")
    session_length(page, "60")
    field(page, "What happened in the group").fill("Shared what helps on hard evenings.")
    for name in names[:2]:
        page.get_by_label(name, exact=True).check()
        page.get_by_label(f"{name}'s response").fill(f"{name.split()[0]} will try an evening walk.")
    page.get_by_label(names[2], exact=True).check()
    page.get_by_label("Cy Group's response").fill("Cy will call a sponsor instead.")
    check(page, "group form", assert_accessible, assert_fits_phone)
    expect(page.get_by_text("By signing, I attest")).to_be_visible()
    page.get_by_role("button", name="Sign all").click()

    expect(page.get_by_text("Group signed: 3 notes signed")).to_be_visible()
    check(page, "signed group", assert_accessible, assert_fits_phone)
    group = GroupSession.objects.get()
    notes = {n.client_id: n for n in SessionNote.objects.filter(group=group)}
    assert [notes[m.pk].is_signed for m in members] == [True, True, True]
    assert notes[members[2].pk].response == "Cy will call a sponsor instead."
    assert len(loads) == 2, loads  # open the page, submit (it lands on the group)
    assert loads[0].endswith("/notes/groups/new/") and loads[-1].endswith(group.get_absolute_url()), loads
