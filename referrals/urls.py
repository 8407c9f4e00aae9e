"""Referrals URLs, under /referrals/: the directory, and referrals (by participant, note or referral)."""

from django.urls import include, path

from referrals.views import directory, referrals

app_name = "referrals"

# Each resource's routes grouped under its prefix (the names are the app's, as if written out in full).
urlpatterns = [
    path("directory/", include([
        path("", directory.resource_list, name="resource_list"),
        path("new/", directory.resource_new, name="resource_new"),
        path("import/", directory.resource_import, name="resource_import"),
        path("categories/", directory.category_list, name="category_list"),
        path("<uuid:resource_uuid>/", include([
            path("", directory.resource_detail, name="resource_detail"),
            path("edit/", directory.resource_edit, name="resource_edit"),
            path("verify/", directory.resource_verify, name="resource_verify"),
        ])),
    ])),
    path("participants/<uuid:client_uuid>/", include([
        path("", referrals.referral_list, name="referral_list"),
        path("new/", referrals.referral_new, name="referral_new"),
    ])),
    path("notes/<uuid:note_uuid>/new/", referrals.referral_from_note, name="referral_from_note"),
    path("<uuid:referral_uuid>/", include([
        path("", referrals.referral_detail, name="referral_detail"),
        path("update/", referrals.referral_update, name="referral_update"),
    ])),
]
