"""Session limits: idle time-out per program, 12-hour limit, deactivation, key rotation at login."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recovery.models import Membership
from recovery.sessions import ABSOLUTE_MESSAGE, DEACTIVATED_MESSAGE, IDLE_MESSAGE
from tests.factories import PASSWORD, ProgramFactory

LOGIN = reverse("login")
STATUS = reverse("session_status")
NOTIFICATIONS = reverse("notifications")


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def test_login_rotates_the_session_key(client, peer):
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    planted_key = session.session_key

    response = client.post(LOGIN, {"username": peer.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.session_key != planted_key
    assert not Session.objects.filter(session_key=planted_key).exists()
    assert client.get("/").status_code == 200


def test_the_next_request_after_the_idle_time_out_goes_to_login(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
        session_key = client.session.session_key
    with time_machine.travel(start + minutes(15) + timedelta(seconds=1), tick=False):
        response = client.get(f"{NOTIFICATIONS}?show=unread")
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next=%2Fnotifications%2F%3Fshow%3Dunread"
        assert [str(m) for m in get_messages(response.wsgi_request)] == [IDLE_MESSAGE.format(minutes=15)]
        assert not Session.objects.filter(session_key=session_key).exists()
        assert client.get("/").status_code == 302


def test_activity_keeps_the_session_alive(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    for step in range(1, 5):  # a request every 14 minutes, for 56 minutes
        with time_machine.travel(start + minutes(14 * step), tick=False):
            assert client.get(NOTIFICATIONS).status_code == 200, step


def test_the_programs_idle_time_out_applies(login, program, peer):
    program.idle_timeout_minutes = 5
    program.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(4), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + minutes(9) + timedelta(seconds=1), tick=False):
        assert client.get("/").status_code == 302


def test_the_strictest_program_of_a_person_applies(login, program, peer):
    strict = ProgramFactory(name="Strict program", idle_timeout_minutes=3)
    Membership.objects.create(user=peer, program=strict, role=Membership.Role.PEER)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(3) + timedelta(seconds=1), tick=False):
        assert client.get("/").status_code == 302


def test_a_session_ends_twelve_hours_after_login_however_active(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    step = 0
    while (step + 1) * 14 < 12 * 60:
        step += 1
        with time_machine.travel(start + minutes(14 * step), tick=False):
            assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, seconds=1), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)
        assert [str(m) for m in get_messages(response.wsgi_request)] == [ABSOLUTE_MESSAGE.format(hours=12)]


def test_deactivating_a_user_ends_their_sessions_at_once(login, peer):
    client = login(peer)
    session_key = client.session.session_key
    assert client.get("/").status_code == 200
    peer.is_active = False
    peer.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not Session.objects.filter(session_key=session_key).exists()


def test_deactivating_a_membership_ends_the_session_at_once(login, peer):
    client = login(peer)
    assert client.get("/").status_code == 200
    Membership.objects.filter(user=peer).update(is_active=False)
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [DEACTIVATED_MESSAGE]
    assert client.get("/").status_code == 302


def test_deactivating_the_program_ends_the_session(login, peer, program):
    client = login(peer)
    program.is_active = False
    program.save()
    assert client.get("/").status_code == 302


def test_a_new_membership_does_not_end_the_session(login, peer):
    client = login(peer)
    Membership.objects.create(user=peer, program=ProgramFactory(name="Second"), role=Membership.Role.PEER)
    assert client.get("/").status_code == 200


def test_status_reports_the_time_left_without_counting_as_activity(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(10), tick=False):
        status = client.get(STATUS).json()
        assert status == {"signed_in": True, "remaining": 300, "limit": "idle", "idle_seconds": 900}
    with time_machine.travel(start + minutes(15) + timedelta(seconds=1), tick=False):
        response = client.get(STATUS)
        assert response.status_code == 401 and response.json() == {"signed_in": False, "remaining": 0}
        assert client.get("/").status_code == 302


def test_stay_signed_in_extends_the_session(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(14), tick=False):
        assert client.post(STATUS).json()["remaining"] == 900
    with time_machine.travel(start + minutes(28), tick=False):
        assert client.get("/").status_code == 200


def test_status_near_the_twelve_hour_limit_says_which_limit_ends_it(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    for step in range(1, 52):
        with time_machine.travel(start + minutes(14 * step), tick=False):
            client.get("/")
    with time_machine.travel(start + timedelta(hours=11, minutes=59), tick=False):
        status = client.post(STATUS).json()
        assert status["limit"] == "absolute" and status["remaining"] == 60


def test_status_needs_a_csrf_token_and_rejects_other_methods(peer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(peer)
    assert client.post(STATUS).status_code == 403
    assert client.get(STATUS).status_code == 200
    relaxed = Client()
    relaxed.force_login(peer)
    assert relaxed.put(STATUS).status_code == 405


def test_status_for_an_anonymous_visitor_is_401(client, db):
    response = client.get(STATUS)
    assert response.status_code == 401 and response.json()["signed_in"] is False


def test_a_form_posted_after_the_time_out_goes_to_login_and_back_to_its_page(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(16), tick=False):
        response = client.post(reverse("clients:caseload"))  # (a page that takes the form it shows)
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next=%2Fclients%2F"


def test_a_post_only_action_posted_without_a_referer_after_the_time_out_comes_back_to_my_day(client, peer):
    """A browser (or an extension) that sends no Referer: the page that showed the form is unknown, and the
    action answers POST only (405 to the browser sent there after the login): My day instead."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("login"), {"username": peer.email, "password": PASSWORD})
    with time_machine.travel(start + minutes(16), tick=False):
        bounced = client.post(reverse("notification_read_all"))
        assert bounced.url == f"{LOGIN}?next=%2F"
        assert client.get(bounced.url).status_code == 200
        again = client.post(bounced.url, {"username": peer.email, "password": PASSWORD, "next": "/"})
        assert again.status_code == 302 and again.url == "/"


def test_a_form_posted_after_the_time_out_comes_back_to_the_page_that_showed_it(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(16), tick=False):
        response = client.post(reverse("notification_read_all"),
                               headers={"Referer": "http://testserver/notifications/?show=unread"})
        assert response.url == f"{LOGIN}?next=%2Fnotifications%2F%3Fshow%3Dunread"
    with time_machine.travel(start + minutes(32), tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(48), tick=False):
        elsewhere = client.post(reverse("notification_read_all"), headers={"Referer": "https://evil.example/x"})
        assert elsewhere.url == f"{LOGIN}?next=%2F"  # not that site; and the action is POST only: My day


def test_a_form_posted_after_a_background_request_ended_the_session_comes_back_to_its_page(login, peer):
    """The page's own background request (its time-out script, the offline key) reached the server first after
    the time-out and ended the session; the form's post then comes from a signed-out browser."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(16), tick=False):
        assert client.get(reverse("session_status")).status_code == 401
        response = client.post(reverse("notification_read_all"),
                               headers={"Referer": "http://testserver/notifications/?show=unread"})
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next=%2Fnotifications%2F%3Fshow%3Dunread"
        assert client.post(reverse("notification_read_all")).url == f"{LOGIN}?next=%2F"  # no page named: My day


def test_an_htmx_request_after_the_time_out_redirects_the_whole_page(login, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + minutes(16), tick=False):
        response = client.get(NOTIFICATIONS, headers={"HX-Request": "true",
                                                      "HX-Current-URL": "http://testserver/notifications/?show=all"})
        assert response.status_code == 204
        assert response["HX-Redirect"] == f"{LOGIN}?next=%2Fnotifications%2F%3Fshow%3Dall"


def test_pages_carry_the_time_out_for_the_warning_script(frozen_time, login, program, peer, client):
    # Frozen: a login and a request on either side of a second boundary would leave 1199 seconds.
    program.idle_timeout_minutes = 20
    program.save()
    response = login(peer).get("/")
    html = response.content.decode()
    body = re.search(r"<body[^>]*>", html).group(0)
    assert 'data-session-idle="1200"' in body and 'data-session-remaining="1200"' in body
    assert f'data-session-url="{STATUS}"' in body and f'data-login-url="{LOGIN}"' in body
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script src="/static/js/session-timeout.js" nonce="{nonce}" defer></script>' in html

    client.post(reverse("logout"))
    login_page = client.get(LOGIN).content.decode()
    assert "data-signed-out" in re.search(r"<body[^>]*>", login_page).group(0)
    assert "/static/js/session-timeout.js" in login_page


def test_requests_right_after_login_write_no_session(login, peer, django_assert_max_num_queries):
    """Session bookkeeping happens at login, so other apps' query budgets do not pay for it."""
    client = login(peer)
    for _ in range(2):
        with django_assert_max_num_queries(50) as queries:
            assert client.get(NOTIFICATIONS).status_code == 200
        writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]
                  and not q["sql"].startswith("SELECT")]
        assert writes == []
