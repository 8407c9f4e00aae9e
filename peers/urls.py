from django.urls import path

from peers import team, views
from recovery.views.imports import import_file, import_template

app_name = "peers"

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("export.csv", views.board_export, name="board_export"),
    path("people/", team.team, name="team"),
    path("people/invite/", team.invite, name="invite"),
    path("invitations/<uuid:invitation_uuid>/resend/", team.invitation_resend, name="invitation_resend"),
    path("invitations/<uuid:invitation_uuid>/revoke/", team.invitation_revoke, name="invitation_revoke"),
    path("export.xlsx", views.board_export_xlsx, name="board_export_xlsx"),
    path("import/", import_file, {"kind": views.STAFF_IMPORT}, name="import"),
    path("import/template.<str:fmt>", import_template, {"kind": views.STAFF_IMPORT}, name="import_template"),
    path("types/", views.type_list, name="type_list"),
    path("types/add/", views.type_add, name="type_add"),
    path("types/<uuid:type_uuid>/edit/", views.type_edit, name="type_edit"),
    path("credentials/<uuid:credential_uuid>/edit/", views.credential_edit, name="credential_edit"),
    path("credentials/<uuid:credential_uuid>/end/", views.credential_end, name="credential_end"),
    path("ce/<uuid:ce_uuid>/edit/", views.ce_edit, name="ce_edit"),
    path("ce/<uuid:ce_uuid>/delete/", views.ce_delete, name="ce_delete"),
    path("ce/<uuid:ce_uuid>/certificate/", views.ce_certificate, name="ce_certificate"),
    path("hours/<uuid:hours_uuid>/edit/", views.hours_edit, name="hours_edit"),
    path("hours/<uuid:hours_uuid>/delete/", views.hours_delete, name="hours_delete"),
    path("<uuid:user_uuid>/", views.staff_detail, name="staff_detail"),
    path("<uuid:user_uuid>/profile/", views.profile_edit, name="profile_edit"),
    path("<uuid:user_uuid>/role/", team.role_edit, name="role_edit"),
    path("<uuid:user_uuid>/reactivate/", team.reactivate, name="reactivate"),
    path("<uuid:user_uuid>/credentials/add/", views.credential_add, name="credential_add"),
    path("<uuid:user_uuid>/ce/add/", views.ce_add, name="ce_add"),
    path("<uuid:user_uuid>/hours/add/", views.hours_add, name="hours_add"),
]
