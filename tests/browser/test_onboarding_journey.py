"""Issue 14, done when: from an empty database, ``createprogram`` → the first admin accepts the invitation and
enrols two-factor → invites a supervisor and two peers, who accept → the admin imports 50 participants from a
CSV (a dry run first; one row has an error, is fixed and the file checked again) and assigns them → a peer logs a
first note. All at 360 px, axe-clean on every page, and no Django admin page is ever opened."""

from __future__ import annotations

import re
from base64 import b32decode
from binascii import hexlify
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from clients import imports
from clients.models import Client, SessionNote
from recovery.models import Membership, Program, User
from tests.browser.conftest import open_navigation
from tests.factories import totp_code

PHONE = {"width": 360, "height": 740}
PASSWORD = "a long river of quiet stones"
LINK = re.compile(r"/accounts/invitation/[^/\s]+/")


UNASSIGNED = ["Robin Newstart", "Ash Unplaced"]


def participants_csv(*, broken: bool) -> bytes:
    """50 participants: 48 assigned to the two peers by the file, two left for the admin to assign; with
    ``broken``, one birth date that is not a date."""
    rows = [",".join(imports.COLUMNS)]
    for n in range(50):
        name = UNASSIGNED[n] if n < 2 else ("Casey Crossed" if n == 2 else f"Participant Number{n:02d}")
        birth = "1990-02-31" if broken and n == 2 else f"19{60 + n % 40:02d}-0{1 + n % 9}-1{n % 10}"
        peer = "" if n < 2 else ("pat@harbor.example" if n % 2 else "rene@harbor.example")
        rows.append(",".join([name, "", birth, "", "", "2025-01-15", "self", "", peer, "yes", "2025-01-15", ""]))
    return ("\n".join(rows) + "\n").encode()


def upload(page, content: bytes) -> None:
    page.get_by_label(re.compile(r"Spreadsheet \(\.csv or \.xlsx\)")).set_input_files(
        {"name": "participants.csv", "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Check the file").click()


def field(page, label: str):
    """The input labelled ``label`` (crispy marks required fields with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


class Journey:
    def __init__(self, browser, live_server, assert_accessible, assert_fits_phone):
        self.browser, self.url = browser, live_server.url
        self.assert_accessible, self.assert_fits_phone = assert_accessible, assert_fits_phone
        self.visited: list[str] = []

    def new_page(self):
        page = self.browser.new_context(viewport=PHONE).new_page()
        page.on("framenavigated", lambda frame: self.visited.append(frame.url))
        return page

    def check(self, page, where: str) -> None:
        self.assert_fits_phone(page)
        self.assert_accessible(page, where)

    def nav(self, page, link: str) -> None:
        open_navigation(page)
        page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()

    def account_menu(self, page, short_name: str, link: str) -> None:
        open_navigation(page)
        page.get_by_role("button", name=short_name, exact=True).click()
        page.get_by_role("link", name=link, exact=True).click()

    def accept(self, path: str, *, who: str, two_factor: bool):
        """A new person opens their invitation, sets a password and (if their role needs it) enrols 2FA."""
        page = self.new_page()
        page.goto(self.url + path)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Join ")
        self.check(page, f"invitation of the {who}")
        field(page, "Choose a password").fill(PASSWORD)
        field(page, "The same password again").fill(PASSWORD)
        page.get_by_role("button", name="Create my account").click()
        if two_factor:
            page.wait_for_url(re.compile(r"/accounts/two-factor/enrol/"))
            self.check(page, f"two-factor enrolment of the {who}")
            secret = page.locator("#manual-key").inner_text().replace(" ", "")
            page.get_by_label("Code from your app").fill(totp_code(TOTPDevice(key=hexlify(b32decode(secret)).decode())))
            page.get_by_role("button", name="Turn on two-factor").click()
            page.wait_for_url(re.compile(r"/accounts/two-factor/backup-codes/"))
            self.check(page, f"backup codes of the {who}")
            page.get_by_role("link", name="I saved my codes, continue").click()
        page.wait_for_url(f"{self.url}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("My day")
        self.check(page, f"My day of the {who}")
        return page

    def invite(self, page, *, name: str, email: str, role: str, supervisor: str = "") -> str:
        """The admin invites someone from the Staff section; returns the path of the emailed link."""
        page.get_by_role("link", name="Invite someone").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
        sent_before = len(mail.outbox)
        field(page, "Full name").fill(name)
        field(page, "Email").fill(email)
        page.get_by_role("radio", name=role).check()
        if supervisor:
            page.get_by_role("combobox", name=re.compile("^Supervisor")).select_option(label=supervisor)
        self.check(page, f"invitation form ({role})")
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
        self.check(page, "staff and invitations")
        assert len(mail.outbox) == sent_before + 1
        message = mail.outbox[-1]
        assert message.to == [email]
        return LINK.search(message.body).group(0)


def test_a_program_starts_from_an_empty_database(browser, live_server, assert_accessible, assert_fits_phone):
    assert not Program.objects.exists() and not User.objects.exists()
    journey = Journey(browser, live_server, assert_accessible, assert_fits_phone)

    out = StringIO()
    call_command("createprogram", "Harbor Peer Support", "--admin-email", "lee@harbor.example",
                 "--admin-name", "Lee Lead", "--no-email", stdout=out)
    program = Program.objects.get()

    admin = journey.accept(LINK.search(out.getvalue()).group(0), who="admin", two_factor=True)

    journey.nav(admin, "Staff")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Certification status")
    admin.get_by_role("link", name="Staff and invitations").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Staff and invitations")
    journey.check(admin, "staff and invitations, empty")

    link = journey.invite(admin, name="Sam Steady", email="sam@harbor.example", role="Supervisor")
    journey.accept(link, who="supervisor", two_factor=True)
    peer_links = [journey.invite(admin, name=name, email=email, role="Peer specialist", supervisor="Sam Steady")
                  for name, email in [("Pat Pathway", "pat@harbor.example"), ("Rene Rivers", "rene@harbor.example")]]
    peers = [journey.accept(path, who=f"peer {n}", two_factor=False) for n, path in enumerate(peer_links, 1)]
    assert {(m.user.email, m.role, getattr(m.supervisor, "email", None))
            for m in Membership.objects.filter(program=program).select_related("user", "supervisor")} == {
        ("lee@harbor.example", "admin", None), ("sam@harbor.example", "supervisor", None),
        ("pat@harbor.example", "peer", "sam@harbor.example"), ("rene@harbor.example", "peer", "sam@harbor.example"),
    }
    admin.reload()
    expect(admin.get_by_text("None. “Invite someone” sends a one-time link")).to_be_visible()  # all accepted

    journey.account_menu(admin, "Lee", "Import participants")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Import participants")
    journey.check(admin, "participant import")
    upload(admin, participants_csv(broken=True))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Import participants: what would happen")
    expect(admin.get_by_text("49 new, 0 already here, 1 with errors")).to_be_visible()
    expect(admin.get_by_role("row", name=re.compile("Casey Crossed"))).to_contain_text("is not a date")
    expect(admin.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    journey.check(admin, "dry run with an error")
    assert not Client.objects.exists(), "the dry run wrote"

    admin.get_by_role("link", name="Check another file").click()
    upload(admin, participants_csv(broken=False))
    expect(admin.get_by_text("50 new, 0 already here, 0 with errors")).to_be_visible()
    journey.check(admin, "dry run, every row fixed")
    admin.get_by_role("button", name="Import 50 new rows").click()
    expect(admin.get_by_text("50 new participants imported; 0 already here.")).to_be_visible()
    assert Client.objects.filter(program=program).count() == 50
    assert Client.objects.filter(primary_peer__isnull=True).count() == 2

    expect(admin.get_by_role("heading", name="Needs assignment")).to_be_visible()
    journey.check(admin, "caseload with participants to assign")
    for name in UNASSIGNED:
        admin.get_by_role("link", name=re.compile(rf"Assign.*{name}")).click()
        expect(admin.get_by_role("heading", level=1)).to_have_text("Caseload assignment")
        peer_choice = field(admin, "Peer specialist")  # each choice shows the peer's caseload size
        peer_choice.select_option(peer_choice.locator("option", has_text="Pat Pathway").get_attribute("value"))
        field(admin, "Reason").fill("First caseload.")
        journey.check(admin, "assignment")
        admin.get_by_role("button", name="Save assignment").click()
        expect(admin.get_by_text("Caseload assignment saved.")).to_be_visible()
        journey.nav(admin, "Participants")
    expect(admin.get_by_text("Every enrolled participant has a peer specialist.")).to_be_visible()
    journey.check(admin, "caseload of 50, every participant assigned")
    assert not Client.objects.filter(primary_peer__isnull=True).exists()
    assert Client.objects.get(full_name="Robin Newstart").primary_peer.email == "pat@harbor.example"

    pat = peers[0]
    pat.reload()
    pat.get_by_role("link", name="Log a session", exact=True).click()
    expect(pat.get_by_role("heading", level=1)).to_have_text("Log a session")
    journey.check(pat, "note form")
    field(pat, "Participant").select_option(label="Robin Newstart")
    pat.locator("#id_start_time").fill("10:00")  # the end time is now by default: after midnight, 30 minutes
    pat.locator("#id_end_time").fill("10:30")    # back would cross it
    field(pat, "Minutes").fill("30")
    pat.get_by_label("Advocacy").check()
    field(pat, "What happened").fill("First meeting: talked through what recovery support looks like here.")
    field(pat, "The participant's response").fill("Wants to start with housing.")
    pat.get_by_role("button", name="Save as a draft").click()
    expect(pat.get_by_role("heading", name="Draft: not signed yet")).to_be_visible()
    pat.get_by_role("button", name="Sign the note").click()
    expect(pat.get_by_text(re.compile(r"Note signed"))).to_be_visible()
    journey.check(pat, "signed first note")

    note = SessionNote.objects.get()
    assert note.is_signed and note.signed_by.email == "pat@harbor.example"
    assert not [url for url in journey.visited if "/admin/" in url], "a Django admin page was opened"
