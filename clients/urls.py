from django.urls import path

from clients.views import caseload, consents, emergency, followups, notes, participants, plans

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
    # Session notes and follow-ups
    path("<uuid:uuid>/notes/", notes.note_list, name="note_list"),
    path("<uuid:uuid>/notes/new/", notes.note_new, name="note_new"),
    path("<uuid:uuid>/followups/new/", followups.followup_new, name="followup_new"),
    path("notes/new/", notes.note_log, name="note_log"),
    path("notes/new/parts/", notes.note_parts, name="note_parts"),
    path("notes/groups/new/", notes.group_new, name="group_new"),
    path("notes/groups/<uuid:uuid>/", notes.group_detail, name="group_detail"),
    path("notes/<uuid:uuid>/", notes.note_detail, name="note_detail"),
    path("notes/<uuid:uuid>/edit/", notes.note_edit, name="note_edit"),
    path("notes/<uuid:uuid>/sign/", notes.note_sign, name="note_sign"),
    path("notes/<uuid:uuid>/discard/", notes.note_discard, name="note_discard"),
    path("notes/<uuid:uuid>/addenda/new/", notes.addendum_new, name="addendum_new"),
    path("followups/", followups.followup_list, name="followup_list"),
    path("followups/<uuid:uuid>/", followups.followup_detail, name="followup_detail"),
    path("followups/<uuid:uuid>/edit/", followups.followup_edit, name="followup_edit"),
    path("followups/<uuid:uuid>/done/", followups.followup_done, name="followup_done"),
    path("followups/<uuid:uuid>/cancel/", followups.followup_cancel, name="followup_cancel"),
]
