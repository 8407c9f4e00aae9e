from django.urls import include, path

from clients.views import (
    caseload,
    consents,
    emergency,
    exports,
    followups,
    handover,
    imports,
    notes,
    participants,
    plans,
    units,
)

app_name = "clients"

# Each resource's routes grouped under its prefix (the names are the app's, as if written out in full).
urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("export.<str:fmt>", exports.caseload_export, name="caseload_export"),
    path("import/", include([
        path("", imports.participants_import, name="import"),
        path("template.<str:fmt>", imports.import_template, name="import_template"),
    ])),
    path("new/", caseload.intake, name="intake"),
    path("emergency/", emergency.emergency_access, name="emergency"),
    path("staff/<uuid:user_uuid>/former/", handover.staff_handover, name="staff_handover"),
    path("<uuid:client_uuid>/", include([
        path("", participants.detail, name="detail"),
        path("edit/", participants.edit, name="edit"),
        path("assign/", participants.assign, name="assign"),
        path("discharge/", participants.discharge, name="discharge"),
        path("reenrol/", participants.reenrol, name="reenrol"),
        path("plans/new/", plans.plan_new, name="plan_new"),
        path("consents/new/", consents.consent_new, name="consent_new"),
        path("notes/", include([
            path("", notes.note_list, name="note_list"),
            path("new/", notes.note_new, name="note_new"),
            path("export.<str:fmt>", exports.notes_export, name="notes_export"),
        ])),
        path("followups/new/", followups.followup_new, name="followup_new"),
    ])),
    path("plans/<uuid:plan_uuid>/", include([
        path("", plans.plan_detail, name="plan_detail"),
        path("edit/", plans.plan_edit, name="plan_edit"),
        path("revise/", plans.plan_revise, name="plan_revise"),
        path("goals/new/", plans.goal_new, name="goal_new"),
    ])),
    path("goals/<uuid:goal_uuid>/", include([
        path("edit/", plans.goal_edit, name="goal_edit"),
        path("steps/new/", plans.step_new, name="step_new"),
        path("progress/new/", plans.progress_new, name="progress_new"),
    ])),
    path("steps/<uuid:step_uuid>/", include([
        path("edit/", plans.step_edit, name="step_edit"),
        path("done/", plans.step_done, name="step_done"),
    ])),
    path("consents/<uuid:consent_uuid>/", include([
        path("", consents.consent_detail, name="consent_detail"),
        path("revoke/", consents.consent_revoke, name="consent_revoke"),
        path("scan/", consents.consent_scan, name="consent_scan"),
        path("scan/upload/", consents.consent_scan_upload, name="consent_scan_upload"),
    ])),
    path("notes/", include([
        path("new/", notes.note_log, name="note_log"),
        path("new/parts/", notes.note_parts, name="note_parts"),
        path("units/", units.note_units, name="note_units"),
        path("groups/new/", notes.group_new, name="group_new"),
        path("groups/<uuid:group_uuid>/", notes.group_detail, name="group_detail"),
        path("<uuid:note_uuid>/", include([
            path("", notes.note_detail, name="note_detail"),
            path("edit/", notes.note_edit, name="note_edit"),
            path("sign/", notes.note_sign, name="note_sign"),
            path("discard/", notes.note_discard, name="note_discard"),
            path("addenda/new/", notes.addendum_new, name="addendum_new"),
        ])),
    ])),
    path("followups/", include([
        path("", followups.followup_list, name="followup_list"),
        path("export.<str:fmt>", exports.followups_export, name="followups_export"),
        path("<uuid:followup_uuid>/", include([
            path("", followups.followup_detail, name="followup_detail"),
            path("edit/", followups.followup_edit, name="followup_edit"),
            path("done/", followups.followup_done, name="followup_done"),
            path("cancel/", followups.followup_cancel, name="followup_cancel"),
        ])),
    ])),
]
