"""Reports URLs, under /reports/."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("export.<str:fmt>", views.export, name="export"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("measures/<slug:measure>/", views.drilldown, name="drilldown"),
]
