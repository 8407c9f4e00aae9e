from django.urls import include, path

from supervision.views import people, reviews, sessions

app_name = "supervision"

# Each resource's routes grouped under its prefix (the names are the app's, as if written out in full).
urlpatterns = [
    path("", people.dashboard, name="dashboard"),
    path("log/", people.log, name="log"),
    path("staff/<uuid:user_uuid>/", include([
        path("", people.supervisee, name="supervisee"),
        path("<slug:slug>/", people.metric, name="metric"),
    ])),
    path("reviews/", include([
        path("", reviews.review_queue, name="review_queue"),
        path("<uuid:review_uuid>/", reviews.review_detail, name="review_detail"),
        path("<uuid:review_uuid>/approve/", reviews.review_approve, name="review_approve"),
        path("<uuid:review_uuid>/return/", reviews.review_return, name="review_return"),
    ])),
    path("sessions/", include([
        path("", sessions.session_list, name="session_list"),
        path("new/", sessions.session_new, name="session_new"),
        path("<uuid:session_uuid>/", include([
            path("", sessions.session_detail, name="session_detail"),
            path("edit/", sessions.session_edit, name="session_edit"),
            path("sign/", sessions.session_sign, name="session_sign"),
            path("delete/", sessions.session_delete, name="session_delete"),
            path("acknowledge/", sessions.session_acknowledge, name="session_acknowledge"),
            path("addenda/new/", sessions.addendum_new, name="addendum_new"),
            path("action-items/new/", sessions.action_item_new, name="action_item_new"),
        ])),
    ])),
    path("action-items/<uuid:item_uuid>/", include([
        path("done/", sessions.action_item_done, name="action_item_done"),
        path("delete/", sessions.action_item_delete, name="action_item_delete"),
    ])),
]
