from django.urls import include, path

from billing.views import participants, review

app_name = "billing"

# Each resource's routes grouped under its prefix (the names are the app's, as if written out in full).
urlpatterns = [
    path("", review.review, name="review"),
    path("batches/", include([
        path("new/", review.batch_new, name="batch_new"),
        path("<uuid:batch_uuid>/", review.batch_detail, name="batch_detail"),
        path("<uuid:batch_uuid>/claims.<str:fmt>", review.batch_export, name="batch_export"),
    ])),
    path("rereviews/<uuid:rereview_uuid>/done/", review.rereview_clear, name="rereview_clear"),
    path("payers/", participants.payers, name="payers"),
    path("participants/", include([
        path("", participants.participants, name="participants"),
        path("<uuid:client_uuid>/", participants.participant, name="participant"),
        path("<uuid:client_uuid>/coverage/new/", participants.coverage_new, name="coverage_new"),
        path("<uuid:client_uuid>/authorizations/new/", participants.authorization_new, name="authorization_new"),
    ])),
]
