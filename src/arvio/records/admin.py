from django.contrib import admin

from arvio.records.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes an entry through Arvio."""

    list_display = ["at", "action", "username", "os_user", "round_code", "municipality_code", "address"]
    list_filter = ["action"]
    search_fields = ["username", "round_code", "municipality_code"]
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
