"""Django admin for the clients app: only configuration (recovery dimensions, service codes with their unit
caps, the services provided) lives here. Program admins edit their program's lists in the app
(recovery.views.reference); this is the developers' view of every program's.

Participant records are deliberately not registered: the admin site neither scopes by program nor writes
the access log, so participant data is read and changed only through the app's scoped, logged views.
"""

from django.contrib import admin

from clients.models import Dimension, ServiceCode, SupportService


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "position", "is_active"]
    list_filter = ["framework", "is_active"]
    list_editable = ["position", "is_active"]
    ordering = ["framework", "position"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Goals keep the dimensions they were tagged with: retire a dimension instead of deleting it.
        return False


@admin.register(ServiceCode)
class ServiceCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "program", "description", "billable", "unit_minutes", "daily_unit_cap",
                    "yearly_unit_cap", "default_for", "is_active"]
    list_filter = ["program", "billable", "is_active"]
    ordering = ["position", "code"]
    search_fields = ["code", "description"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Signed notes keep the code they were billed under: retire a code instead of deleting it.
        return False


@admin.register(SupportService)
class SupportServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "code", "position", "is_active"]
    list_filter = ["program"]
    list_editable = ["position", "is_active"]
    ordering = ["position", "name"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
