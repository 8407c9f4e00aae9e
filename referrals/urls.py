"""Referrals URLs, under /referrals/: the directory, and referrals (by participant, note or referral)."""

from django.urls import path

from referrals.views import directory, referrals

app_name = "referrals"

urlpatterns = [
    path("directory/", directory.resource_list, name="resource_list"),
    path("directory/new/", directory.resource_new, name="resource_new"),
    path("directory/import/", directory.resource_import, name="resource_import"),
    path("directory/categories/", directory.category_list, name="category_list"),
    path("directory/<uuid:resource_uuid>/", directory.resource_detail, name="resource_detail"),
    path("directory/<uuid:resource_uuid>/edit/", directory.resource_edit, name="resource_edit"),
    path("directory/<uuid:resource_uuid>/verify/", directory.resource_verify, name="resource_verify"),
    path("participants/<uuid:client_uuid>/", referrals.referral_list, name="referral_list"),
    path("participants/<uuid:client_uuid>/new/", referrals.referral_new, name="referral_new"),
    path("notes/<uuid:note_uuid>/new/", referrals.referral_from_note, name="referral_from_note"),
    path("<uuid:referral_uuid>/", referrals.referral_detail, name="referral_detail"),
    path("<uuid:referral_uuid>/update/", referrals.referral_update, name="referral_update"),
]
