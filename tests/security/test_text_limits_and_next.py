"""Free text has a length limit in every form, and ``next`` is followed only when it is ours (security issue,
point 12). The walk in test_hostile_forms.py posts these to every form; these are the mechanisms' own tests."""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse

from recovery.fields import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT, TEXT_TOO_LONG
from recovery.http import next_url, redirect_back
from tests.factories import ClientFactory, FollowUpFactory


class _PlainForm(forms.Form):  # a form written tomorrow, by someone who never heard of the limit
    title = forms.CharField()
    story = forms.CharField(widget=forms.Textarea)
    code = forms.CharField(max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(widget=forms.Textarea)


def test_a_form_nobody_configured_caps_its_texts_and_says_so_with_the_count():
    data = {"title": "t" * (SHORT_TEXT_LIMIT + 1), "story": "s" * 100_000, "code": "c" * 13,
            "added_later": "a" * (LONG_TEXT_LIMIT + 1)}
    form = _PlainForm(data)
    assert not form.is_valid()
    assert form.errors["story"] == [TEXT_TOO_LONG.format(limit=LONG_TEXT_LIMIT, length=100_000)]
    assert form.errors["story"] == ["Keep this under 10,000 characters (it has 100,000)."]
    assert form.errors["title"] == [TEXT_TOO_LONG.format(limit=SHORT_TEXT_LIMIT, length=SHORT_TEXT_LIMIT + 1)]
    assert "added_later" in form.errors
    assert "at most 12 characters" in form.errors["code"][0]  # a limit of the field's own is left alone
    assert form["story"].value() == "s" * 100_000  # the typed text is shown again


def test_texts_at_the_limit_are_kept_and_inputs_carry_maxlength():
    form = _PlainForm({"title": "t" * SHORT_TEXT_LIMIT, "story": "s" * LONG_TEXT_LIMIT, "code": "c",
                       "added_later": "x"})
    assert form.is_valid(), form.errors
    html = str(_PlainForm()["story"])
    assert f'maxlength="{LONG_TEXT_LIMIT}"' in html
    assert f'maxlength="{SHORT_TEXT_LIMIT}"' in str(_PlainForm()["title"])
    assert _PlainForm.base_fields["story"].max_length is None  # each form's own copy, not the class's


def test_a_model_forms_text_field_is_capped_though_the_column_is_not():
    class NoteSummaryForm(forms.ModelForm):
        class Meta:
            model = apps.get_model("clients", "SessionNote")
            fields = ["summary"]

    form = NoteSummaryForm(data={"summary": "r" * 100_000})
    assert not form.is_valid()
    assert form.errors["summary"] == ["Keep this under 10,000 characters (it has 100,000)."]


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "javascript:alert(1)", "/home\x00", "/a\r\nSet-Cookie: x=1",
    "/\u202eevil", "\x00", "/" + "a" * 3000, "",
])
def test_a_next_that_is_not_ours_falls_back(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert next_url(request, "/fallback/") == "/fallback/"
    assert redirect_back(request, "/fallback/").url == "/fallback/"


@pytest.mark.parametrize("target", ["/clients/?page=2", "/supervision/log/#items", "http://testserver/home/"])
def test_a_next_of_ours_is_followed_as_a_url_never_as_a_url_name(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert redirect_back(request, "/fallback/").url == target
    assert redirect_back(RequestFactory().post("/x/", {"next": "home"}), "/fallback/").url == "home"  # not reversed


def test_done_with_a_nul_in_next_goes_to_the_follow_up_not_a_500(login, program, peer):
    followup = FollowUpFactory(client=ClientFactory(program=program, primary_peer=peer))
    response = login(peer).post(reverse("clients:followup_done", args=[followup.uuid]), {"next": "/\x00"})
    assert response.status_code == 302
    assert response.url == followup.get_absolute_url()


def test_a_next_that_answers_post_only_is_not_followed(rf):
    """A form's POST-only action (recovery.audit.serves) as ``next``: the browser sent there would get a 405."""
    action = reverse("notification_read_all")
    assert next_url(rf.get("/", {"next": action}), "/fallback/") == "/fallback/"
    assert next_url(rf.get("/", {"next": "/notifications/?show=unread"}), "/fallback/") == "/notifications/?show=unread"


def test_the_login_does_not_send_anyone_to_a_post_only_action(client, peer, supervisor):
    from tests.factories import PASSWORD, enrol_device, totp_code

    action = reverse("notification_read_all")
    page = client.get(reverse("login"), {"next": action})
    assert f'value="{action}"' not in page.content.decode()  # the form does not carry it on
    response = client.post(f"{reverse('login')}?next={action}", {"username": peer.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")

    device, _codes = enrol_device(supervisor)
    client.logout()
    response = client.post(f"{reverse('login')}?next={action}", {"username": supervisor.email, "password": PASSWORD})
    assert response.url == reverse("home")  # where the code step then asks for the code, and sends on
    response = client.post(reverse("twofactor:verify"), {"code": totp_code(device), "next": action})
    assert response.status_code == 302 and response.url == reverse("home")


@pytest.mark.parametrize("target", ["/accounts/login/", "/accounts/login/?next=/", "http://testserver/accounts/login/"])
def test_a_signed_in_user_sent_to_the_login_page_by_next_goes_to_my_day_not_round_in_circles(login, peer, target):
    """Django's login raises on a redirect back to itself for a signed-in user (a 500): My day instead."""
    response = login(peer).get(reverse("login"), {"next": target})
    assert response.status_code == 302 and response.url == reverse("home")
