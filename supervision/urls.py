from django.urls import path

from supervision.views import people, reviews, sessions

app_name = "supervision"

urlpatterns = [
    path("", people.dashboard, name="dashboard"),
    path("log/", people.log, name="log"),
    path("staff/<uuid:user_uuid>/", people.supervisee, name="supervisee"),
    path("staff/<uuid:user_uuid>/<slug:slug>/", people.metric, name="metric"),
    path("reviews/", reviews.review_queue, name="review_queue"),
    path("reviews/<uuid:review_uuid>/", reviews.review_detail, name="review_detail"),
    path("reviews/<uuid:review_uuid>/approve/", reviews.review_approve, name="review_approve"),
    path("reviews/<uuid:review_uuid>/return/", reviews.review_return, name="review_return"),
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.session_new, name="session_new"),
    path("sessions/<uuid:session_uuid>/", sessions.session_detail, name="session_detail"),
    path("sessions/<uuid:session_uuid>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<uuid:session_uuid>/sign/", sessions.session_sign, name="session_sign"),
    path("sessions/<uuid:session_uuid>/delete/", sessions.session_delete, name="session_delete"),
    path("sessions/<uuid:session_uuid>/acknowledge/", sessions.session_acknowledge, name="session_acknowledge"),
    path("sessions/<uuid:session_uuid>/addenda/new/", sessions.addendum_new, name="addendum_new"),
    path("sessions/<uuid:session_uuid>/action-items/new/", sessions.action_item_new, name="action_item_new"),
    path("action-items/<uuid:item_uuid>/done/", sessions.action_item_done, name="action_item_done"),
    path("action-items/<uuid:item_uuid>/delete/", sessions.action_item_delete, name="action_item_delete"),
]
