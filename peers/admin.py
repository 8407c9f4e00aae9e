from django.contrib import admin

from peers.models import ContinuingEducation, Credential, CredentialType, StaffProfile, TraineeHours


class StaffRecordAdmin(admin.ModelAdmin):
    """A row of a staff member's record: picked by id, listed with its person and program."""

    list_select_related = ["membership__user", "membership__program"]
    raw_id_fields = ["membership"]


@admin.register(CredentialType)
class CredentialTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "issuing_body", "program", "cycle_months", "ce_hours", "ethics_hours",
                    "makes_billable", "is_active"]
    list_filter = ["program", "makes_billable", "is_active"]
    search_fields = ["name", "abbreviation", "issuing_body"]
    readonly_fields = ["uuid"]


@admin.register(StaffProfile)
class StaffProfileAdmin(StaffRecordAdmin):
    list_display = ["membership", "hire_date", "lived_experience", "supervisor_training_on"]
    list_filter = ["membership__program", "lived_experience"]
    search_fields = ["membership__user__full_name", "membership__user__email"]


@admin.register(Credential)
class CredentialAdmin(StaffRecordAdmin):
    list_display = ["membership", "type", "number", "issued_on", "expires_on", "ended_on"]
    list_filter = ["type", "membership__program"]
    search_fields = ["membership__user__full_name", "number"]
    list_select_related = [*StaffRecordAdmin.list_select_related, "type"]
    readonly_fields = ["uuid"]
    date_hierarchy = "expires_on"


@admin.register(ContinuingEducation)
class ContinuingEducationAdmin(StaffRecordAdmin):
    list_display = ["membership", "completed_on", "title", "hours", "ethics_hours"]
    list_filter = ["domain", "membership__program"]
    search_fields = ["membership__user__full_name", "title", "provider"]
    readonly_fields = ["uuid"]
    exclude = ["certificate"]  # certificates are served only by the scoped view, never by URL


@admin.register(TraineeHours)
class TraineeHoursAdmin(StaffRecordAdmin):
    list_display = ["membership", "worked_on", "kind", "hours"]
    list_filter = ["kind", "membership__program"]
    search_fields = ["membership__user__full_name"]
    readonly_fields = ["uuid"]
