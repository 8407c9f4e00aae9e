"""Django admin for the clients app: only configuration (the recovery dimensions) lives here.

Participant records are deliberately not registered: the admin site neither scopes by program nor writes
the access log, so participant data is read and changed only through the app's scoped, logged views.
"""

from django.contrib import admin

from clients.models import Dimension


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
