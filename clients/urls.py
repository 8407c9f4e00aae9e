from django.urls import path

from clients.views import caseload, consents, emergency, participants, plans

app_name = "clients"

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("new/", caseload.intake, name="intake"),
    path("emergency/", emergency.emergency_access, name="emergency"),
    path("<uuid:uuid>/", participants.detail, name="detail"),
    path("<uuid:uuid>/edit/", participants.edit, name="edit"),
    path("<uuid:uuid>/assign/", participants.assign, name="assign"),
    path("<uuid:uuid>/discharge/", participants.discharge, name="discharge"),
    path("<uuid:uuid>/reenrol/", participants.reenrol, name="reenrol"),
    path("<uuid:uuid>/plans/new/", plans.plan_new, name="plan_new"),
    path("<uuid:uuid>/consents/new/", consents.consent_new, name="consent_new"),
    path("plans/<uuid:uuid>/", plans.plan_detail, name="plan_detail"),
    path("plans/<uuid:uuid>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<uuid:uuid>/revise/", plans.plan_revise, name="plan_revise"),
    path("plans/<uuid:uuid>/goals/new/", plans.goal_new, name="goal_new"),
    path("goals/<uuid:uuid>/edit/", plans.goal_edit, name="goal_edit"),
    path("goals/<uuid:uuid>/steps/new/", plans.step_new, name="step_new"),
    path("goals/<uuid:uuid>/progress/new/", plans.progress_new, name="progress_new"),
    path("steps/<uuid:uuid>/edit/", plans.step_edit, name="step_edit"),
    path("steps/<uuid:uuid>/done/", plans.step_done, name="step_done"),
    path("consents/<uuid:uuid>/", consents.consent_detail, name="consent_detail"),
    path("consents/<uuid:uuid>/revoke/", consents.consent_revoke, name="consent_revoke"),
    path("consents/<uuid:uuid>/scan/", consents.consent_scan, name="consent_scan"),
    path("consents/<uuid:uuid>/scan/upload/", consents.consent_scan_upload, name="consent_scan_upload"),
]
