"""A program admin resets a staff member's second factor: logged, the user told, scoped to the program."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.forms import RESET_REASON_REQUIRED
from recovery.models import Membership, Notification, SecurityEvent
from recovery.twofactor import RESET_NOTIFICATION_TITLE
from tests.factories import enrol_device, make_staff

REASON = "Lost phone; identity confirmed by a call to their desk number"


def reset_url(user) -> str:
    return reverse("twofactor:reset", args=[user.uuid])


def test_admin_resets_a_second_factor_and_it_is_logged_and_the_user_is_told(login, admin, supervisor, program):
    enrol_device(supervisor)
    response = login(admin).post(reset_url(supervisor), {"reason": REASON}, REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 302 and response.url == reverse("twofactor:staff")
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert not StaticDevice.objects.filter(user=supervisor).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TWO_FACTOR_RESET)
    assert (event.user, event.actor, event.program, event.reason, event.ip) == (
        supervisor, admin, program, REASON, "10.1.2.3")
    notification = Notification.objects.get(recipient=supervisor)
    assert notification.title == RESET_NOTIFICATION_TITLE
    assert notification.program == program


def test_after_a_reset_the_users_open_session_must_enrol_again(client, login, admin, supervisor):
    from django.test import Client

    supervisor_client = Client()
    supervisor_client.force_login(supervisor)
    device, _ = enrol_device(supervisor)
    session = supervisor_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert supervisor_client.get("/").status_code == 200

    login(admin).post(reset_url(supervisor), {"reason": REASON})
    response = supervisor_client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:enrol"))


def test_a_double_submitted_reset_records_and_tells_once(login, admin, supervisor):
    enrol_device(supervisor)
    client = login(admin)
    for _ in range(2):
        assert client.post(reset_url(supervisor), {"reason": REASON}).status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_RESET).count() == 1
    assert Notification.objects.filter(recipient=supervisor).count() == 1


def test_a_reset_needs_a_reason_and_keeps_the_page(login, admin, supervisor):
    enrol_device(supervisor)
    response = login(admin).post(reset_url(supervisor), {"reason": "  "})
    assert response.status_code == 400
    assert response.context["reset_form"].errors["reason"] == [RESET_REASON_REQUIRED]
    assert response.context["reset_user"] == supervisor
    assert TOTPDevice.objects.filter(user=supervisor).exists()


def test_reset_is_post_only(login, admin, supervisor):
    assert login(admin).get(reset_url(supervisor)).status_code == 405


def test_reset_requires_login(client, supervisor):
    response = client.post(reset_url(supervisor), {"reason": REASON})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_supervisors_and_peers_get_403_for_people_they_can_see(login, supervisor, peer):
    enrol_device(peer)
    assert login(supervisor).post(reset_url(peer), {"reason": REASON}).status_code == 403
    assert login(peer).post(reset_url(peer), {"reason": REASON}).status_code == 403
    assert TOTPDevice.objects.filter(user=peer).exists()


def test_an_outsider_and_a_colleague_get_404(login, outsider, supervisor, peer, other_peer):
    enrol_device(supervisor)
    assert login(outsider).post(reset_url(supervisor), {"reason": REASON}).status_code == 404
    assert login(peer).post(reset_url(other_peer), {"reason": REASON}).status_code == 404
    assert TOTPDevice.objects.filter(user=supervisor).exists()
    assert not SecurityEvent.objects.exists()


def test_an_admin_cannot_reset_someone_of_another_program(login, admin, outsider):
    enrol_device(outsider)
    assert login(admin).post(reset_url(outsider), {"reason": REASON}).status_code == 404


def test_staff_page_lists_the_programs_staff_with_their_two_factor_status(login, admin, supervisor, peer, outsider):
    enrol_device(supervisor)
    response = login(admin).get(reverse("twofactor:staff"))
    assert response.status_code == 200
    html = response.content.decode()
    assert supervisor.full_name in html and peer.full_name in html
    assert outsider.full_name not in html
    rows = {row["membership"].user: row for row in response.context["rows"]}
    assert rows[supervisor]["app_since"] is not None and rows[supervisor]["codes_left"] == 10
    assert rows[peer]["app_since"] is None and not rows[peer]["required"]
    assert rows[admin]["required"]


def test_staff_page_shows_the_reset_form_for_a_chosen_person(login, admin, supervisor, outsider):
    enrol_device(supervisor)
    client = login(admin)
    response = client.get(reverse("twofactor:staff"), {"reset": str(supervisor.uuid)})
    assert response.context["reset_user"] == supervisor
    assert f'action="{reset_url(supervisor)}"' in response.content.decode()
    for other in (str(outsider.uuid), "not-a-uuid"):
        assert client.get(reverse("twofactor:staff"), {"reset": other}).context["reset_user"] is None


def test_staff_page_is_for_admins_only(login, client, supervisor, peer):
    assert login(supervisor).get(reverse("twofactor:staff")).status_code == 403
    assert login(peer).get(reverse("twofactor:staff")).status_code == 403
    client.logout()
    assert client.get(reverse("twofactor:staff")).status_code == 302


def test_staff_page_runs_a_fixed_number_of_queries(frozen_time, login, admin, program,
                                                   django_assert_max_num_queries):
    client = login(admin)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("twofactor:staff"))
    for n in range(30):
        user = make_staff(program, Membership.Role.PEER, email=f"many{n}@example.org")
        enrol_device(user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("twofactor:staff"))
    assert len(response.context["rows"]) == 31
