"""Issue 21, point 2: a note written with no signal waits on the device, sealed with the session's key, and
is saved once when the signal returns; the next user on the device sees nothing of it and cannot open it;
a refusal keeps the typed text; log-out leaves nothing of the participant in the browser.

Playwright's offline mode (``context.set_offline``) cuts the page and its service worker off the server;
that the server was not asked is checked in the access log (every participant page writes a row).
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from clients.models import Client, SessionNote
from recovery.models import AccessLog, Membership
from tests.browser.test_notes_journey import PHONE, check, field
from tests.factories import ClientFactory, make_staff, service_code, support_services

TYPED = "Met at the shelter; talked through the housing wait list and the bus pass."
KEPT = "what you wrote is kept on this device"
WAITING = "Waiting to send"

KEPT_PAGE = """async (path) => {
  for (const name of await caches.keys()) {
    if (name.startsWith("lantern-pages-") && await (await caches.open(name)).match(path)) return true;
  }
  return false;
}"""
IDB_DUMP = """async () => {
  if (!(await indexedDB.databases()).some((d) => d.name === "lantern-offline")) return null;
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("lantern-offline"); r.onsuccess = () => ok(r.result); r.onerror = fail;
  });
  const all = (store) => new Promise((ok) => {
    const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result);
  });
  const result = { drafts: await all("drafts"), owners: (await all("keys")).map((k) => k.owner) };
  db.close();
  return result;
}"""
# Tries to open ``record`` with every key this page's scripts can reach (the keys kept in IndexedDB).
TRY_TO_OPEN = """async (record) => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("lantern-offline"); r.onsuccess = () => ok(r.result); r.onerror = fail;
  });
  const keys = await new Promise((ok) => {
    const r = db.transaction("keys").objectStore("keys").getAll(); r.onsuccess = () => ok(r.result);
  });
  db.close();
  const bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const opened = [];
  for (const entry of keys) {
    for (const aad of [record.owner + ":" + record.id, entry.owner + ":" + record.id]) {
      try {
        const algorithm = { name: "AES-GCM", iv: bytes(record.iv), additionalData: new TextEncoder().encode(aad) };
        const plain = await crypto.subtle.decrypt(algorithm, entry.key, bytes(record.data));
        opened.push(new TextDecoder().decode(plain));
      } catch (error) { /* not this key */ }
    }
  }
  return opened;
}"""
PUT_BACK = """async (record) => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("lantern-offline"); r.onsuccess = () => ok(r.result); r.onerror = fail;
  });
  await new Promise((ok) => {
    const t = db.transaction("drafts", "readwrite"); t.objectStore("drafts").put(record); t.oncomplete = ok;
  });
  db.close();
}"""
EVERYTHING_STORED = """async () => ({
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map((d) => d.name),
  local: Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]),
  session: Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)]),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
})"""


@pytest.fixture
def robin(program, peer):
    service_code()  # the data migration's rows: a browser test's database was flushed
    support_services()
    return ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")


def poll(page, script: str, arg=None, *, until=bool, tries: int = 100):
    """Evaluate ``script`` until ``until(result)`` (a Python loop: wait_for_function uses eval, which the CSP
    forbids)."""
    for _ in range(tries):
        result = page.evaluate(script, arg)
        if until(result):
            return result
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script[:60]}…")


def open_participant_with_signal(page, live_server, browser_login, user, robin) -> None:
    """Log in, let the service worker take the pages over, open the participant: their forms are kept."""
    browser_login(page, user)
    poll(page, "() => !!navigator.serviceWorker.controller")
    page.goto(f"{live_server.url}{robin.get_absolute_url()}")
    poll(page, KEPT_PAGE, f"/clients/{robin.uuid}/notes/new/")
    poll(page, KEPT_PAGE, f"/clients/{robin.uuid}/followups/new/")


def write_without_signal(page, text: str = TYPED, *, minutes: str = "30") -> None:
    """Without signal, from the participant's page (or on the note form already open)."""
    page.context.set_offline(True)
    if not page.locator("form[data-offline]").count():
        page.get_by_role("link", name="Log a session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Robin Record")
    field(page, "Start time").fill("09:00")  # not the time now (the form's default end): no test crosses midnight
    field(page, "End time").fill("")
    field(page, "Minutes").fill(minutes)
    field(page, "What happened").fill(text)
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("status").filter(has_text=KEPT)).to_be_visible()


def drafts(page) -> list[dict]:
    return (page.evaluate(IDB_DUMP) or {"drafts": []})["drafts"]


def test_a_note_written_without_signal_waits_on_the_device_and_is_saved_once_when_the_signal_returns(
        page, live_server, program, peer, robin, browser_login, assert_accessible, assert_fits_phone):
    open_participant_with_signal(page, live_server, browser_login, peer, robin)
    reads = AccessLog.objects.count()

    write_without_signal(page)
    waiting = page.locator("[data-offline-draft=waiting]")
    expect(waiting).to_contain_text(WAITING)
    expect(waiting).to_contain_text(TYPED)
    expect(field(page, "What happened")).to_have_value("")  # ready for the next note
    [record] = drafts(page)
    assert TYPED not in json.dumps(record) and "Robin" not in json.dumps(record)  # sealed

    page.reload()  # still without signal: the kept page, the draft still waiting
    expect(page.get_by_role("heading", level=1)).to_contain_text("Robin Record")
    expect(page.locator("[data-offline-draft=waiting]")).to_contain_text(TYPED)
    expect(page.locator("[data-offline-draft=waiting]")).to_contain_text(WAITING)
    check(page, "the note form without signal, a draft waiting", assert_accessible, assert_fits_phone)
    assert AccessLog.objects.count() == reads  # the server was not asked for anything
    assert not SessionNote.objects.filter(client=robin).exists()

    page.set_viewport_size(PHONE)
    page.context.set_offline(False)
    expect(page.locator(".offline-drafts").get_by_text("Sent")).to_be_visible()
    expect(page.locator("[data-offline-draft]")).to_have_count(0)
    note = SessionNote.objects.get(client=robin)
    assert (note.summary, note.author, note.duration_minutes) == (TYPED, peer, 30)
    check(page, "the note form after sending", assert_accessible, assert_fits_phone)

    # The same draft sent again (another tab, a retry after a lost answer): still one note.
    page.evaluate(PUT_BACK, record)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    poll(page, IDB_DUMP, until=lambda dump: dump and not dump["drafts"])
    assert SessionNote.objects.filter(client=robin).count() == 1


def test_the_next_user_on_the_device_sees_no_draft_and_cannot_open_the_first_ones(
        page, live_server, program, peer, supervisor, robin, browser_login):
    open_participant_with_signal(page, live_server, browser_login, peer, robin)
    write_without_signal(page)
    [record] = drafts(page)
    first_owner = record["owner"]

    # The peer leaves the device without logging out; their session ends; someone else logs in.
    page.context.clear_cookies()
    page.context.set_offline(False)
    # Back online, the peer's page tries to send its draft, finds the session gone and heads for the login
    # page: let that settle before the next person types, or it reloads the form under their fingers.
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")
    olive = make_staff(program, Membership.Role.PEER, supervisor=supervisor, full_name="Olive Otherpeer",
                       email="olive@example.org")
    browser_login(page, olive)
    page.wait_for_timeout(500)  # anything shown would be in by now
    expect(page.locator("[data-offline-draft]")).to_have_count(0)
    assert TYPED not in page.content()
    stored = poll(page, IDB_DUMP, until=lambda dump: dump and first_owner not in dump["owners"])
    assert stored["owners"] and not any(d["owner"] == first_owner for d in stored["drafts"])
    assert page.evaluate(TRY_TO_OPEN, record) == []  # the first peer's draft opens with no key here
    assert not any(first_owner in name for name in page.evaluate("() => caches.keys()"))
    assert not SessionNote.objects.filter(client=robin).exists()


def test_a_refused_draft_keeps_its_text_and_log_out_leaves_nothing_in_the_browser(
        page, live_server, program, peer, other_peer, robin, browser_login, assert_accessible):
    open_participant_with_signal(page, live_server, browser_login, peer, robin)
    write_without_signal(page, minutes="-5")  # the form refuses it
    page.context.set_offline(False)
    refused = page.locator("[data-offline-draft=refused]")
    expect(refused).to_contain_text("Not saved:")
    expect(refused).to_contain_text("Minutes: Ensure this value is greater than or equal to 0.")
    expect(refused).to_contain_text(TYPED)

    write_without_signal(page, "Second visit, written for Robin before the handover.")
    Client.objects.filter(pk=robin.pk).update(primary_peer=other_peer)  # reassigned while the peer drove
    page.context.set_offline(False)
    expect(refused).to_have_count(2)
    expect(refused.filter(has_text="Second visit")).to_contain_text("no longer on your caseload")
    assert not SessionNote.objects.filter(client=robin).exists()
    assert_accessible(page, "the note form with refused drafts")

    # Handed back: the peer corrects the first and puts it back in the form; nothing typed was lost.
    Client.objects.filter(pk=robin.pk).update(primary_peer=peer)
    page.reload()
    refused.filter(has_text=TYPED).get_by_role("button", name="Put it back in the form").click()
    expect(field(page, "What happened")).to_have_value(TYPED)
    expect(refused).to_have_count(1)
    expect(field(page, "Start time")).to_have_value("09:00")
    field(page, "Minutes").fill("45")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("heading", name="Draft: not signed yet")).to_be_visible()
    assert SessionNote.objects.get(client=robin).summary == TYPED

    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    left = page.evaluate(EVERYTHING_STORED)
    assert left["caches"] == [] and "lantern-offline" not in left["databases"]
    assert left["local"] == [] and left["workers"] == 0
    assert not any("Robin" in value or "Second visit" in value for _, value in left["session"])
