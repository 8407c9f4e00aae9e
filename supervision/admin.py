"""Django admin for the supervision app: only configuration (the supervision topics) lives here.

Sessions and reviews are deliberately not registered: they name participants and are read and changed only
through the app's scoped views (and a signed session cannot change at all).
"""

from django.contrib import admin

from supervision.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "position", "is_active"]
    list_filter = ["program"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["position", "name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Sessions keep the topics they covered: retire a topic instead of deleting it.
        return False
