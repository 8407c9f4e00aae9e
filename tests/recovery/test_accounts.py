import re

import pytest
from django.core import mail
from django.urls import reverse

from recovery.models import Membership, User
from tests.factories import PASSWORD, make_staff

LOGIN = "/accounts/login/"


def post_login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_page_has_labelled_email_and_password(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_username"' in html and "Email" in html
    assert 'for="id_password"' in html
    assert "<h1" in html


def test_user_logs_in_with_email_in_any_case(client, peer):
    response = post_login(client, "PAT@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == peer


def test_wrong_password_says_so_without_revealing_whether_account_exists(client, peer):
    wrong = post_login(client, peer.email, "not the password")
    unknown = post_login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    for response in (wrong, unknown):
        assert "do not match an active account" in response.content.decode()
        assert response.context["form"]["username"].value()  # the typed email is kept


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, peer):
    for _ in range(4):
        assert post_login(client, peer.email, "wrong").status_code == 200
    locked = post_login(client, peer.email, "wrong")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    # Even the right password is refused while the lock holds.
    assert post_login(client, peer.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_message_is_the_same_for_an_unknown_account(client, db):
    for _ in range(5):
        response = post_login(client, "ghost@example.org", "wrong")
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_inactive_user_cannot_log_in(client, peer):
    peer.is_active = False
    peer.save()
    response = post_login(client, peer.email, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only_and_ends_the_session(login, peer):
    client = login(peer)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_working_link(client, peer):
    response = client.post("/accounts/password/reset/", {"email": peer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [peer.email]
    assert message.alternatives, "the email has an HTML part too"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "a brand new passphrase 42"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    peer.refresh_from_db()
    assert peer.check_password(new_password)


def test_password_reset_for_unknown_email_sends_nothing_but_looks_the_same(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_password_change_requires_a_strong_password(login, peer):
    client = login(peer)
    weak = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "short",
                                               "new_password2": "short"})
    assert weak.status_code == 200
    assert weak.context["form"].errors["new_password2"]
    strong = "lanterns light the long road"
    ok = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": strong,
                                             "new_password2": strong})
    assert ok.status_code == 302
    peer.refresh_from_db()
    assert peer.check_password(strong)


def test_email_is_unique_whatever_the_case(program):
    make_staff(program, Membership.Role.PEER, email="case@example.org")
    with pytest.raises(Exception):
        User.objects.create(email="CASE@example.org", full_name="Other")


def test_membership_is_unique_per_user_and_program(program, peer):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Membership.objects.create(user=peer, program=program, role=Membership.Role.ADMIN)
