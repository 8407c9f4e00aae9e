"""Each user picks their language; signed out, the browser's decides; emails and notifications are written in
the recipient's language (issue 21, point 3)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from recovery.models import Notification
from recovery.notify import notification_send
from tests.i18n_support import spanish_compiled


@pytest.fixture(autouse=True)
def spanish():
    spanish_compiled()
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what would run after the commit (the email delivery task, eager in tests)."""

    def _send(callable_):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_()

    return _send


def test_a_peer_who_picks_spanish_keeps_it_and_sees_lantern_in_spanish(login, peer):
    client = login(peer)
    response = client.post(reverse("language"), {"language": "es"})
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.language == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in page
    assert "Mi día" in page and "Cerrar sesión" in page


def test_the_saved_message_is_in_the_language_just_picked(login, peer):
    client = login(peer)
    response = client.post(reverse("language"), {"language": "es"}, follow=True)
    assert "Tu idioma quedó guardado." in response.content.decode()


def test_the_users_choice_wins_over_the_browser_and_the_cookie(login, peer):
    peer.language = "es"
    peer.save(update_fields=["language"])
    client = login(peer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notifications"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "<h1 class=\"h3 mb-0\">Notificaciones</h1>" in page


def test_following_the_browser_again_clears_the_choice(login, peer):
    peer.language = "es"
    peer.save(update_fields=["language"])
    client = login(peer)
    response = client.post(reverse("language"), {"language": ""}, follow=True)
    peer.refresh_from_db()
    assert peer.language == ""
    assert "Your language is saved." in response.content.decode()
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mi día" in page


def test_an_unknown_language_is_refused(login, peer):
    response = login(peer).post(reverse("language"), {"language": "xx"})
    assert response.status_code == 200
    peer.refresh_from_db()
    assert peer.language == ""


def test_an_anonymous_visitor_gets_the_login_page_in_the_browsers_language(client):
    spanish = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5").content.decode()
    assert "Inicia sesión en Lantern" in spanish
    assert '<html lang="es">' in spanish
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Log in to Lantern" in english


def test_the_language_cookie_decides_the_login_page_after_sign_out(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert "Inicia sesión en Lantern" in client.get(reverse("login")).content.decode()


def test_the_email_to_a_spanish_speaking_user_is_in_spanish(peer, supervisor, mailoutbox, sent):
    peer.language = "es"
    peer.save(update_fields=["language"])
    title = gettext_lazy("Your two-factor authentication was reset")
    sent(lambda: notification_send(recipient=peer, kind="account_security", title=title))
    sent(lambda: notification_send(recipient=supervisor, kind="account_security", title=title))
    by_person = {m.to[0]: m for m in mailoutbox}
    spanish, english = by_person[peer.email], by_person[supervisor.email]
    assert spanish.subject == "[Lantern] Se restableció tu verificación en dos pasos"
    assert "Ábrelas en Lantern" in spanish.body
    assert "Por privacidad, los correos de Lantern nunca nombran a los participantes" in spanish.body
    assert 'lang="es"' in spanish.alternatives[0].content
    assert english.subject == "[Lantern] Your two-factor authentication was reset"
    assert "Open them in Lantern" in english.body


def test_a_notification_is_written_in_its_recipients_language(peer, supervisor):
    peer.language = "es"
    peer.save(update_fields=["language"])
    for user in (peer, supervisor):
        notification_send(recipient=user, kind="account_security", dedupe_key="t:1",
                          title=gettext_lazy("Your two-factor authentication was reset"),
                          body=lambda: translation.gettext("Saved."))
    titles = dict(Notification.objects.values_list("recipient_id", "title"))
    assert titles == {peer.pk: "Se restableció tu verificación en dos pasos",
                      supervisor.pk: "Your two-factor authentication was reset"}
    assert Notification.objects.get(recipient=peer).body == "Guardado."


def test_a_stored_english_title_is_shown_in_the_readers_language(login, peer):
    Notification.objects.create(recipient=peer, kind="account_security",
                                title="Your two-factor authentication was reset")
    peer.language = "es"
    peer.save(update_fields=["language"])
    page = login(peer).get(reverse("notifications")).content.decode()
    assert "Se restableció tu verificación en dos pasos" in page


def test_the_password_reset_email_is_in_the_account_holders_language(client, peer, mailoutbox):
    peer.language = "es"
    peer.save(update_fields=["language"])
    client.post(reverse("password_reset"), {"email": peer.email}, HTTP_ACCEPT_LANGUAGE="en")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Restablece tu contraseña de Lantern"
    assert "Alguien (esperamos que tú) pidió restablecer la contraseña" in mailoutbox[0].body


def test_dates_on_a_spanish_page_use_spanish_month_names(login, peer):
    Notification.objects.create(recipient=peer, kind="account_security", title="t",
                                created_at="2026-01-15T15:00:00Z")
    peer.language = "es"
    peer.save(update_fields=["language"])
    page = login(peer).get(reverse("notifications")).content.decode()
    assert "Ene 15, 2026" in page or "ene 15, 2026" in page.lower()


def test_the_language_page_query_budget(login, peer, django_assert_max_num_queries):
    client = login(peer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("language")).status_code == 200


def test_the_account_menu_links_to_the_language_page(login, peer):
    page = login(peer).get(reverse("home")).content.decode()
    assert reverse("language") in page
