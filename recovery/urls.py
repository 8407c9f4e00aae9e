from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from recovery.views import (
    account,
    audit,
    emergency,
    health,
    home,
    invitations,
    notifications,
    offline,
    program,
    programs,
    reference,
    session,
    twofactor,
)

accounts = [
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", offline.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("language/", account.language, name="language"),
    path("two-factor/", include(([
        path("", twofactor.overview, name="overview"),
        path("enrol/", twofactor.enrol, name="enrol"),
        path("verify/", twofactor.verify, name="verify"),
        path("backup-codes/", twofactor.backup_codes, name="backup_codes"),
        path("staff/", twofactor.staff, name="staff"),
        path("staff/<uuid:user_uuid>/reset/", twofactor.reset, name="reset"),
    ], "twofactor"))),
    path("session/", session.session_status, name="session_status"),
    path("offline-key/", offline.offline_key_view, name="offline_key"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("emergency-access/", emergency.emergency_members, name="emergency_members"),
]

audit_urls = [
    path("", audit.report, name="report"),
    path("export.csv", audit.export, name="export"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("program/", home.switch_program, name="switch_program"),
    path("program/rules/", program.program_rules, name="program_rules"),
    path("programs/", programs.program_list, name="program_list"),
    path("program/lists/", reference.reference_index, name="reference_index"),
    path("program/lists/<slug:slug>/", reference.reference_list, name="reference_list"),
    path("program/lists/<slug:slug>/new/", reference.reference_new, name="reference_new"),
    path("program/lists/<slug:slug>/<int:item_id>/", reference.reference_edit, name="reference_edit"),
    path("healthz", health.healthz, name="healthz"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("accounts/", include(accounts)),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
    path("notifications/preferences/", notifications.notification_preferences, name="notification_preferences"),
    path("notifications/delivery-problems/", notifications.notification_failures, name="notification_failures"),
    path("staff/", include("peers.urls")),
    path("clients/", include("clients.urls")),
    path("referrals/", include("referrals.urls")),
    path("records/", include("records.urls")),
    path("supervision/", include("supervision.urls")),
    path("billing/", include("billing.urls")),
    path("", include("outcomes.urls")),  # /outcomes/, /program/… and /clients/<client_uuid>/… pages
    path("reports/", include("reports.urls")),
    path("audit/", include((audit_urls, "audit"))),
    path("admin/", admin.site.urls),
]
