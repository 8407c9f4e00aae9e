from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from recovery.models import AccessLog, Membership, Notification, Program, SecurityEvent, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["program", "supervisor"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "memberships__program", "memberships__role"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "preferred_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = ["groups"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "time_zone", "is_active"]
    search_fields = ["name", "organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "supervisor", "is_active"]
    list_filter = ["program", "role", "is_active"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "program", "supervisor"]
    list_select_related = ["user", "program", "supervisor"]


class EvidenceAdmin(admin.ModelAdmin):
    """Rows that are evidence (the access log, security events): nobody adds, edits or deletes them, not even here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(EvidenceAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "object_type"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    # The access log is evidence: nobody edits or deletes it, not even here.

@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(EvidenceAdmin):
    """Every sign-in security event, including those for emails that match no account (which belong to no
    program's audit report: recovery/signin.py). Superusers only; append-only like the access log."""

    list_display = ["at", "kind", "user", "email", "ip", "reason"]
    list_filter = ["kind"]
    search_fields = ["email", "ip"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser
