"""Program admins add their own instrument without code and set the program's outcome rules."""

from __future__ import annotations

from django.urls import reverse

from outcomes.models import Instrument, OutcomeSettings, Scale


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def test_an_admin_adds_an_instrument_with_items_scale_and_threshold(login, admin, program, barc):
    data = {"name": "Weekly well-being", "code": "weekly", "max_skipped": "0", "prorate": "", "is_active": "on",
            **formset("items", [{"position": "1", "text": "I slept well", "label": "Sleep"},
                                {"position": "2", "text": "I felt on edge", "label": "Stress",
                                 "reverse_scored": "on"}]),
            **formset("options", [{"value": "0", "label": "No", "phrase": "says no"},
                                  {"value": "1", "label": "Sometimes", "phrase": "says sometimes"},
                                  {"value": "2", "label": "Yes", "phrase": "says yes"}]),
            **formset("thresholds", [{"min_score": "3", "label": "Good week", "is_marker": "on"}])}
    response = login(admin).post(reverse("outcomes:instrument_new"), data)
    assert response.status_code == 302
    scale = Scale.load(Instrument.objects.get(program=program, code="weekly"))
    assert [i.label for i in scale.items] == ["Sleep", "Stress"] and scale.items[1].reverse_scored
    assert scale.score({scale.items[0].pk: 2, scale.items[1].pk: 0}) == 4
    assert scale.marker.label == "Good week"


def test_a_scale_needs_two_distinct_values_and_the_form_says_so(login, admin, program):
    data = {"name": "Broken", "code": "broken", "max_skipped": "0",
            **formset("items", [{"position": "1", "text": "x", "label": "x"}]),
            **formset("options", [{"value": "1", "label": "a", "phrase": "a"}, {"value": "1", "label": "b",
                                                                                  "phrase": "b"}]),
            **formset("thresholds", [])}
    response = login(admin).post(reverse("outcomes:instrument_new"), data)
    assert response.status_code == 200 and "Please correct the duplicate data for value" in response.content.decode()
    assert not Instrument.objects.filter(code="broken").exists()


def test_shipped_instruments_are_read_only_for_program_admins(login, admin, barc):
    url = reverse("outcomes:instrument_detail", kwargs={"instrument_uuid": barc.instrument.uuid})
    http = login(admin)
    assert "not the official wording" in http.get(url).content.decode()
    http.post(url, {"name": "Renamed"})
    barc.instrument.refresh_from_db()
    assert barc.instrument.name == "BARC-10 recovery capital"


def test_an_admin_sets_the_interval_window_and_target(login, admin, program, barc):
    data = {"instrument": barc.instrument.pk, "checkin_interval_days": "60", "gpra_enabled": "on",
            "followup_opens_months": "4", "followup_closes_months": "4", "followup_target_percent": "85"}
    http = login(admin)
    rejected = http.post(reverse("outcomes:settings"), data)
    assert rejected.status_code == 200 and "followup_closes_months" in rejected.context["form"].errors
    assert http.post(reverse("outcomes:settings"), {**data, "followup_closes_months": "7"}).status_code == 302
    saved = OutcomeSettings.objects.get(program=program)
    assert (saved.checkin_interval_days, saved.followup_closes_months, saved.followup_target_percent) == (60, 7, 85)
