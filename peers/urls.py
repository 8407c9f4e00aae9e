from django.urls import include, path

from peers import team, views

app_name = "peers"

# Each resource's routes grouped under its prefix (the names are the app's, as if written out in full).
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("export.csv", views.board_export, name="board_export"),
    path("export.xlsx", views.board_export_xlsx, name="board_export_xlsx"),
    path("people/", team.team, name="team"),
    path("people/invite/", team.invite, name="invite"),
    path("invitations/<uuid:invitation_uuid>/", include([
        path("resend/", team.invitation_resend, name="invitation_resend"),
        path("revoke/", team.invitation_revoke, name="invitation_revoke"),
    ])),
    path("import/", include([
        path("", views.staff_import, name="import"),
        path("template.<str:fmt>", views.import_template, name="import_template"),
    ])),
    path("types/", include([
        path("", views.type_list, name="type_list"),
        path("add/", views.type_add, name="type_add"),
        path("<uuid:type_uuid>/edit/", views.type_edit, name="type_edit"),
    ])),
    path("credentials/<uuid:credential_uuid>/", include([
        path("edit/", views.credential_edit, name="credential_edit"),
        path("end/", views.credential_end, name="credential_end"),
    ])),
    path("ce/<uuid:ce_uuid>/", include([
        path("edit/", views.ce_edit, name="ce_edit"),
        path("delete/", views.ce_delete, name="ce_delete"),
        path("certificate/", views.ce_certificate, name="ce_certificate"),
    ])),
    path("hours/<uuid:hours_uuid>/", include([
        path("edit/", views.hours_edit, name="hours_edit"),
        path("delete/", views.hours_delete, name="hours_delete"),
    ])),
    path("<uuid:user_uuid>/", include([
        path("", views.staff_detail, name="staff_detail"),
        path("profile/", views.profile_edit, name="profile_edit"),
        path("role/", team.role_edit, name="role_edit"),
        path("reactivate/", team.reactivate, name="reactivate"),
        path("credentials/add/", views.credential_add, name="credential_add"),
        path("ce/add/", views.ce_add, name="ce_add"),
        path("hours/add/", views.hours_add, name="hours_add"),
    ])),
]
