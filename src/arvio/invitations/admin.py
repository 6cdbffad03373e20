"""The Django admin for invitations: read-mostly, since invitations come from the survey definition file.

Contacts may be corrected here; what was sent, and when a link was first opened, only shown.
"""

from django.contrib import admin

from arvio.invitations.models import Contact, Invitation, SentMail


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "email", "role", "order"]
    extra = 0


class SentMailInline(admin.TabularInline):
    model = SentMail
    fields = ["kind", "recipients", "subject", "state", "attempts", "last_error", "queued_at", "sent_at", "sent_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "round", "order", "deadline_extended_to", "opened_at"]
    list_filter = ["round"]
    list_select_related = ["round", "municipality"]
    search_fields = ["municipality__code", "municipality__name_fi", "municipality__name_sv"]
    ordering = ["round__code", "order"]
    fields = ["round", "municipality", "order", "deadline_extended_to", "opened_at", "created_at"]
    readonly_fields = ["round", "municipality", "opened_at", "created_at"]
    inlines = [ContactInline, SentMailInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # An answered invitation stays: its response hangs on it.
        answered = obj is not None and hasattr(obj, "response")
        return not answered and super().has_delete_permission(request, obj)
