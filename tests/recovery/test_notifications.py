import pytest
from django.urls import reverse

from recovery.models import Notification
from tests.factories import NotificationFactory


def test_notifications_require_login(client, db):
    assert client.get(reverse("notifications")).status_code == 302


def test_user_sees_only_their_own_notifications(login, peer, other_peer):
    mine = NotificationFactory(recipient=peer, title="Yours to see")
    NotificationFactory(recipient=other_peer, title="Someone else's")
    html = login(peer).get(reverse("notifications")).content.decode()
    assert mine.title in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html


def test_unread_count_is_in_the_navigation(login, peer):
    NotificationFactory.create_batch(3, recipient=peer)
    NotificationFactory(recipient=peer, read_at="2026-01-01T00:00Z")
    response = login(peer).get(reverse("home"))
    assert response.context["unread_notifications"] == 3
    assert "3<span class=\"visually-hidden\"> unread" in response.content.decode()


def test_marking_one_read(login, peer):
    notification = NotificationFactory(recipient=peer)
    response = login(peer).post(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.is_read


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, peer):
    notification = NotificationFactory(recipient=peer, url="/notifications/?show=all")
    response = login(peer).post(reverse("notification_read", args=[notification.pk]), {"open": "1"})
    assert response.url == "/notifications/?show=all"
    notification.refresh_from_db()
    assert notification.is_read


def test_an_offsite_link_is_never_followed(login, peer):
    notification = NotificationFactory(recipient=peer, url="https://evil.example/")
    response = login(peer).post(reverse("notification_read", args=[notification.pk]), {"open": "1"})
    assert response.url == reverse("notifications")


def test_cannot_mark_someone_elses_notification(login, peer, other_peer):
    theirs = NotificationFactory(recipient=other_peer)
    assert login(peer).post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_mark_all_read_touches_only_mine(login, peer, other_peer):
    NotificationFactory.create_batch(2, recipient=peer)
    theirs = NotificationFactory(recipient=other_peer)
    login(peer).post(reverse("notification_read_all"))
    assert not Notification.objects.filter(recipient=peer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read


@pytest.mark.parametrize("name", ["notification_read_all"])
def test_marking_is_post_only(login, peer, name):
    assert login(peer).get(reverse(name)).status_code == 405


def test_unread_filter(login, peer):
    NotificationFactory(recipient=peer, title="Fresh")
    NotificationFactory(recipient=peer, title="Old news", read_at="2026-01-01T00:00Z")
    html = login(peer).get(reverse("notifications") + "?show=unread").content.decode()
    assert "Fresh" in html and "Old news" not in html


@pytest.mark.parametrize("count", [5, 200])
def test_notification_list_query_budget(login, peer, django_assert_max_num_queries, count):
    NotificationFactory.create_batch(count, recipient=peer)
    client = login(peer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("notifications")).status_code == 200
