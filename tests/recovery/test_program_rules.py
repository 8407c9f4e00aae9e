import pytest

URL = "/program/rules/"


def test_admin_edits_the_programs_rules(login, admin, program):
    client = login(admin)
    form = client.get(URL).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(signing_deadline_hours=72, credential_reminder_days="30, 90,7", require_two_factor_for_peers="")
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors
    program.refresh_from_db()
    assert program.signing_deadline_hours == 72
    assert program.credential_reminder_days == [90, 30, 7]


def test_bad_rules_are_rejected_at_the_field_and_kept(login, admin, program):
    client = login(admin)
    data = {k: v for k, v in client.get(URL).context["form"].initial.items() if v is not None}
    data.update(signing_deadline_hours=0, time_zone="Mars/Olympus", credential_reminder_days="30, soon")
    response = client.post(URL, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"signing_deadline_hours", "time_zone", "credential_reminder_days"} <= set(errors)
    assert response.context["form"]["time_zone"].value() == "Mars/Olympus"
    program.refresh_from_db()
    assert program.signing_deadline_hours == 48


@pytest.mark.parametrize("who", ["peer", "supervisor"])
def test_other_roles_cannot_change_rules(login, request, who):
    assert login(request.getfixturevalue(who)).get(URL).status_code == 403


def test_outsider_edits_only_their_own_program(login, outsider, program, other_program):
    client = login(outsider)
    assert client.get(URL).context["program"] == other_program


def test_rules_need_login(client, db):
    assert client.get(URL).status_code == 302


def test_rules_page_is_in_plain_sections_with_a_time_zone_picker(login, admin, program):
    response = login(admin).get(URL)
    html = response.content.decode()
    for section in ["Documentation", "Billing units", "Reminders", "Supervision", "Security", "Weekly digest"]:
        assert f"<legend>{section}</legend>" in html or f">{section}</legend>" in html, section
    assert "Days before a consent expires to remind" in html
    assert '<select name="time_zone"' in html and "Eastern (New York)" in html
    # The share of notes applies only to the "a share" review policy: shown by show-when.js.
    assert 'data-show-value="share" data-show-when="note_review_policy"' in html
    assert "js/show-when.js" in html


def test_a_share_that_does_not_apply_is_ignored(login, admin, program):
    client = login(admin)
    data = {k: v for k, v in client.get(URL).context["form"].initial.items() if v is not None}
    data.update(note_review_policy="all", note_review_share_percent="", time_zone="America/Chicago")
    data["credential_reminder_days"] = "90, 30"
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors
    program.refresh_from_db()
    assert program.time_zone == "America/Chicago" and program.note_review_share_percent == 100


def test_a_share_policy_needs_its_share(login, admin, program):
    client = login(admin)
    data = {k: v for k, v in client.get(URL).context["form"].initial.items() if v is not None}
    data.update(note_review_policy="share", note_review_share_percent="0", credential_reminder_days="30")
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "note_review_share_percent" in response.context["form"].errors


def test_rules_page_keeps_its_query_budget(login, admin, django_assert_max_num_queries):
    client = login(admin)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200


def test_the_rules_page_shows_every_rule_and_saves_what_it_shows(login, admin, program):
    """What a browser sends is what the page renders: every field of the form must be on the page, or saving
    the page as it stands fails on a rule the admin cannot see."""
    from tests.security.test_hostile_forms import _FormParser

    client = login(admin)
    response = client.get(URL)
    parser = _FormParser(URL)
    parser.feed(response.content.decode())
    (form,) = [f for f in parser.forms if f.method == "post" and f.action == URL]
    assert set(response.context["form"].fields) <= set(form.fields)
    data = {name: field.value for name, field in form.fields.items() if field.kind != "check" or field.value}
    saved = client.post(URL, data)
    assert saved.status_code == 302, saved.context["form"].errors
