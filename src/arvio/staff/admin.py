"""The accounts' admin (users, their memberships of organizers with the role in each, and groups), with each
change in the audit log. The developer's tool: the organizers' staff manage their accounts on Arvio's own pages
(accounts.py).

Django's admin already calls `log_addition`, `log_change` and `log_deletions` for every change it makes,
passwords and group memberships included; these record the same change in Arvio's audit log as well.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User

from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.staff.models import Membership

A = AuditEntry.Action


class _Recorded:
    record_actions: dict[str, str]

    def log_addition(self, request, obj, message):
        record(action=self.record_actions["add"], by=request.user, detail=_detail(obj, message))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(action=self.record_actions["change"], by=request.user, detail=_detail(obj, message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(action=self.record_actions["delete"], by=request.user, detail=_detail(obj, None))
        return super().log_deletions(request, queryset)


def _detail(obj, message) -> dict:
    """The object by id and name; what changed by field names, as Django's admin history says it."""
    detail = {"object": f"{obj.pk} {obj}"}
    if message:
        changes = []
        for item in message if isinstance(message, list) else []:
            for kind, value in item.items():
                fields = value.get("fields") if isinstance(value, dict) else None
                changes.append(f"{kind}: {', '.join(fields)}" if fields else kind)
        if changes:
            detail["changes"] = changes
    return detail


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(_Recorded, auth_admin.UserAdmin):
    inlines = [MembershipInline]
    record_actions = {"add": A.ACCOUNT_ADD, "change": A.ACCOUNT_CHANGE, "delete": A.ACCOUNT_DELETE}


@admin.register(Group)
class GroupAdmin(_Recorded, auth_admin.GroupAdmin):
    record_actions = {"add": A.GROUP_ADD, "change": A.GROUP_CHANGE, "delete": A.GROUP_DELETE}
