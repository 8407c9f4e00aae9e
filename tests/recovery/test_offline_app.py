"""Lantern installs as an app (issue 21, point 2): the manifest, its icons, the service worker at the site
root, and the pages it may keep without signal (marked with the session's owner tag, still no-store)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

from recovery.offline import OWNER_HEADER
from recovery.views.offline import SHELL_ASSETS
from tests.factories import ClientFactory, SessionNoteFactory


def test_the_manifest_names_the_app_its_start_and_colour_and_real_png_icons(client):
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["name"], manifest["start_url"], manifest["display"]) == ("Lantern", "/", "standalone")
    assert manifest["theme_color"] == "#1f4e5f"
    sizes = set()
    for icon in manifest["icons"]:
        path = Path(settings.BASE_DIR, "static", icon["src"].removeprefix(static("")))
        with Image.open(path) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])


def test_every_page_links_the_manifest(client, login, peer):
    for page in (client.get(reverse("login")), login(peer).get(reverse("home"))):
        assert f'<link rel="manifest" href="{reverse("manifest")}">' in page.content.decode()


def test_the_service_worker_is_served_from_the_root_as_a_script_that_is_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    script = response.content.decode()
    assert static("js/offline.js") in script and static("css/lantern.css") in script
    assert "script-src" in response["Content-Security-Policy"]  # served under the same strict policy


def test_every_file_the_service_worker_keeps_exists(client):
    # Production's manifest storage fails on a missing file: /sw.js would be a 500.
    assert [path for path in SHELL_ASSETS if not finders.find(path)] == []


def test_the_pages_a_peer_needs_without_signal_carry_the_sessions_owner_tag_and_stay_no_store(login, peer, program):
    client = login(peer)
    robin = ClientFactory(program=program, primary_peer=peer)
    owner = client.get(reverse("offline_key")).json()["owner"]
    for url in (reverse("home"), robin.get_absolute_url(), reverse("clients:note_new", args=[robin.uuid]),
                reverse("clients:note_log"), reverse("clients:followup_new", args=[robin.uuid])):
        response = client.get(url)
        assert response.status_code == 200
        assert response[OWNER_HEADER] == owner, url
        assert "no-store" in response["Cache-Control"], url


def test_other_pages_and_refused_forms_are_not_kept(login, peer, program):
    client = login(peer)
    robin = ClientFactory(program=program, primary_peer=peer)
    note = SessionNoteFactory(client=robin, author=peer)
    for response in (client.get(reverse("clients:caseload")), client.get(note.get_absolute_url()),
                     client.post(reverse("clients:note_new", args=[robin.uuid]), {})):
        assert OWNER_HEADER not in response, response.wsgi_request.path


def test_someone_who_does_not_carry_the_participant_gets_no_kept_form(login, other_peer, program, peer):
    robin = ClientFactory(program=program, primary_peer=peer)
    response = login(other_peer).get(reverse("clients:note_new", args=[robin.uuid]))
    assert response.status_code in {403, 404}
    assert OWNER_HEADER not in response
