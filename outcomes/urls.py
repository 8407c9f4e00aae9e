"""Outcomes URLs, included at the site root: per-participant pages under /clients/<client_uuid>/, lists
under /outcomes/, program admin pages under /program/."""

from django.urls import path

from outcomes.views import checkins, demographics, gpra, program

app_name = "outcomes"

urlpatterns = [
    path("clients/<uuid:client_uuid>/check-ins/", checkins.checkin_list, name="checkin_list"),
    path("clients/<uuid:client_uuid>/check-ins/new/", checkins.checkin_new, name="checkin_new"),
    path("clients/<uuid:client_uuid>/check-ins/<uuid:checkin_uuid>/", checkins.checkin_detail,
         name="checkin_detail"),
    path("clients/<uuid:client_uuid>/gpra/", gpra.gpra_participant, name="gpra_participant"),
    path("clients/<uuid:client_uuid>/demographics/", demographics.demographics_detail, name="demographics"),
    path("clients/<uuid:client_uuid>/demographics/edit/", demographics.demographics_edit, name="demographics_edit"),
    path("outcomes/gpra/", gpra.gpra_list, name="gpra_list"),
    path("outcomes/demographics/", demographics.demographics_report, name="demographics_report"),
    path("program/instruments/", program.instrument_list, name="instrument_list"),
    path("program/instruments/new/", program.instrument_new, name="instrument_new"),
    path("program/instruments/<uuid:instrument_uuid>/", program.instrument_detail, name="instrument_detail"),
    path("program/outcomes/", program.outcome_settings, name="settings"),
]
