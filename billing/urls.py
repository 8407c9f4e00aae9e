from django.urls import path

from billing.views import participants, review

app_name = "billing"

urlpatterns = [
    path("", review.review, name="review"),
    path("batches/new/", review.batch_new, name="batch_new"),
    path("batches/<uuid:batch_uuid>/", review.batch_detail, name="batch_detail"),
    path("batches/<uuid:batch_uuid>/claims.<str:fmt>", review.batch_export, name="batch_export"),
    path("rereviews/<uuid:rereview_uuid>/done/", review.rereview_clear, name="rereview_clear"),
    path("payers/", participants.payers, name="payers"),
    path("participants/", participants.participants, name="participants"),
    path("participants/<uuid:client_uuid>/", participants.participant, name="participant"),
    path("participants/<uuid:client_uuid>/coverage/new/", participants.coverage_new, name="coverage_new"),
    path("participants/<uuid:client_uuid>/authorizations/new/", participants.authorization_new,
         name="authorization_new"),
]
