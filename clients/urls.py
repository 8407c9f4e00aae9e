from django.urls import path

from clients.views import caseload, consents, emergency, followups, notes, participants, plans

app_name = "clients"

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("new/", caseload.intake, name="intake"),
    path("emergency/", emergency.emergency_access, name="emergency"),
    path("<uuid:client_uuid>/", participants.detail, name="detail"),
    path("<uuid:client_uuid>/edit/", participants.edit, name="edit"),
    path("<uuid:client_uuid>/assign/", participants.assign, name="assign"),
    path("<uuid:client_uuid>/discharge/", participants.discharge, name="discharge"),
    path("<uuid:client_uuid>/reenrol/", participants.reenrol, name="reenrol"),
    path("<uuid:client_uuid>/plans/new/", plans.plan_new, name="plan_new"),
    path("<uuid:client_uuid>/consents/new/", consents.consent_new, name="consent_new"),
    path("plans/<uuid:plan_uuid>/", plans.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_uuid>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<uuid:plan_uuid>/revise/", plans.plan_revise, name="plan_revise"),
    path("plans/<uuid:plan_uuid>/goals/new/", plans.goal_new, name="goal_new"),
    path("goals/<uuid:goal_uuid>/edit/", plans.goal_edit, name="goal_edit"),
    path("goals/<uuid:goal_uuid>/steps/new/", plans.step_new, name="step_new"),
    path("goals/<uuid:goal_uuid>/progress/new/", plans.progress_new, name="progress_new"),
    path("steps/<uuid:step_uuid>/edit/", plans.step_edit, name="step_edit"),
    path("steps/<uuid:step_uuid>/done/", plans.step_done, name="step_done"),
    path("consents/<uuid:consent_uuid>/", consents.consent_detail, name="consent_detail"),
    path("consents/<uuid:consent_uuid>/revoke/", consents.consent_revoke, name="consent_revoke"),
    path("consents/<uuid:consent_uuid>/scan/", consents.consent_scan, name="consent_scan"),
    path("consents/<uuid:consent_uuid>/scan/upload/", consents.consent_scan_upload, name="consent_scan_upload"),
    # Session notes and follow-ups
    path("<uuid:client_uuid>/notes/", notes.note_list, name="note_list"),
    path("<uuid:client_uuid>/notes/new/", notes.note_new, name="note_new"),
    path("<uuid:client_uuid>/followups/new/", followups.followup_new, name="followup_new"),
    path("notes/new/", notes.note_log, name="note_log"),
    path("notes/new/parts/", notes.note_parts, name="note_parts"),
    path("notes/groups/new/", notes.group_new, name="group_new"),
    path("notes/groups/<uuid:group_uuid>/", notes.group_detail, name="group_detail"),
    path("notes/<uuid:note_uuid>/", notes.note_detail, name="note_detail"),
    path("notes/<uuid:note_uuid>/edit/", notes.note_edit, name="note_edit"),
    path("notes/<uuid:note_uuid>/sign/", notes.note_sign, name="note_sign"),
    path("notes/<uuid:note_uuid>/discard/", notes.note_discard, name="note_discard"),
    path("notes/<uuid:note_uuid>/addenda/new/", notes.addendum_new, name="addendum_new"),
    path("followups/", followups.followup_list, name="followup_list"),
    path("followups/<uuid:followup_uuid>/", followups.followup_detail, name="followup_detail"),
    path("followups/<uuid:followup_uuid>/edit/", followups.followup_edit, name="followup_edit"),
    path("followups/<uuid:followup_uuid>/done/", followups.followup_done, name="followup_done"),
    path("followups/<uuid:followup_uuid>/cancel/", followups.followup_cancel, name="followup_cancel"),
]
