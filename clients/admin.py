"""Django admin for the clients app: only configuration (recovery dimensions, service codes with their unit
caps, the services provided) lives here. Program admins edit their program's lists in the app
(recovery.views.reference); this is the developers' view of every program's.

Participant records are deliberately not registered: the admin site neither scopes by program nor writes
the access log, so participant data is read and changed only through the app's scoped, logged views.
"""

from django.contrib import admin

from clients.models import Dimension, ServiceCode, SupportService


class RetiredNotDeleted(admin.ModelAdmin):
    """Configuration that records keep pointing to (goals their dimensions, signed notes their codes and
    services): retire a row (``is_active``) instead of deleting it."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dimension)
class DimensionAdmin(RetiredNotDeleted):
    list_display = ["name", "program", "framework", "position", "is_active"]
    list_filter = ["program", "framework", "is_active"]
    list_editable = ["position", "is_active"]
    ordering = ["framework", "position"]
    search_fields = ["name", "code"]


@admin.register(ServiceCode)
class ServiceCodeAdmin(RetiredNotDeleted):
    list_display = ["code", "program", "description", "billable", "unit_minutes", "daily_unit_cap",
                    "yearly_unit_cap", "default_for", "is_active"]
    list_filter = ["program", "billable", "is_active"]
    ordering = ["position", "code"]
    search_fields = ["code", "description"]


@admin.register(SupportService)
class SupportServiceAdmin(RetiredNotDeleted):
    list_display = ["name", "program", "code", "position", "is_active"]
    list_filter = ["program"]
    list_editable = ["position", "is_active"]
    ordering = ["position", "name"]
    search_fields = ["name", "code"]
