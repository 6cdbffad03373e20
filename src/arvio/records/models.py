"""The audit log (tapahtumaloki): who did what to which round and municipality, when, and from where.

An entry names what it concerns by codes and its user by id and username, as text: it outlives the
round, the municipality and the account it names, and every app may write one without a foreign key
reaching up the layers. Entries are append-only: saving an existing entry, updating or deleting
through the ORM raises, and on PostgreSQL a trigger refuses UPDATE and DELETE outright. The one
deletion path is `AuditEntryQuerySet.expire`, used by `arvio purge` for entries older than the
retention period (ARVIO_AUDIT_LOG_DAYS).
"""

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Set for one transaction by `expire`; the PostgreSQL trigger lets a DELETE through only then.
EXPIRE_SETTING = "arvio.records_expire"


class AppendOnly(Exception):
    """An attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnly("Audit entries cannot be deleted; `arvio purge` expires old ones.")

    def expire(self) -> int:
        """Deletes these entries: the retention period's end, and nothing else. Returns how many."""
        postgresql = connection.vendor == "postgresql"
        with transaction.atomic():
            if postgresql:
                _expiring(True)
            deleted, _by_model = models.QuerySet.delete(self)
            # Off again at once: the setting would otherwise last to the end of an enclosing transaction.
            if postgresql:
                _expiring(False)
        return deleted


def _expiring(on: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [EXPIRE_SETTING, "on" if on else "off"])


class AuditEntry(models.Model):
    """One staff action, or one command run, as it happened."""

    class Action(models.TextChoices):
        RESPONSE_VIEW = "response_view", _("Viewed answers")
        REPORT_EXPORT = "report_export", _("Exported a report")
        SURVEY_EXPORT = "survey_export", _("Exported a survey file")
        RECORDS_EXPORT = "records_export", _("Downloaded the audit log")
        NARRATIVE_EDIT = "narrative_edit", _("Edited the narrative")
        NARRATIVE_RESET = "narrative_reset", _("Reset the narrative to the draft")
        EXCERPT_ADD = "excerpt_add", _("Added an excerpt")
        EXCERPT_EDIT = "excerpt_edit", _("Edited an excerpt")
        EXCERPT_MOVE = "excerpt_move", _("Moved an excerpt")
        EXCERPT_DELETE = "excerpt_delete", _("Removed an excerpt")
        INVITATION_SEND = "invitation_send", _("Sent an invitation")
        REMINDER_SEND = "reminder_send", _("Sent a reminder")
        MAIL_RESEND = "mail_resend", _("Sent an undelivered mail again")
        LINK_REISSUE = "link_reissue", _("Re-issued the personal link")
        LINK_SHOWN = "link_shown", _("Showed a new personal link once")
        INVITATION_ADD = "invitation_add", _("Added a municipality to the round")
        INVITATION_REMOVE = "invitation_remove", _("Removed a municipality from the round")
        CONTACT_ADD = "contact_add", _("Added a contact person")
        CONTACT_EDIT = "contact_edit", _("Edited a contact person")
        CONTACT_REMOVE = "contact_remove", _("Removed a contact person")
        DEADLINE_EXTEND = "deadline_extend", _("Extended the deadline")
        ROUND_CLOSE = "round_close", _("Closed the round")
        RESPONSES_IMPORT = "responses_import", _("Imported a response")
        SURVEY_IMPORT = "survey_import", _("Imported a survey file")
        ROUND_CREATE = "round_create", _("Created a round")
        COMPARISON_EDIT = "comparison_edit", _("Changed the comparison with an earlier round")
        ROUND_EDIT = "round_edit", _("Edited a round")
        ACCOUNT_ADD = "account_add", _("Added an account")
        ACCOUNT_CHANGE = "account_change", _("Changed an account")
        ACCOUNT_DELETE = "account_delete", _("Deleted an account")
        ACCOUNT_INVITE = "account_invite", _("Invited a colleague")
        ACCOUNT_INVITE_RESEND = "account_invite_resend", _("Sent an account invitation again")
        ACCOUNT_PASSWORD_SET = "account_password_set", _("Set a password")
        ACCOUNT_PASSWORD_RESET = "account_password_reset", _("Asked for a password reset")
        ACCOUNT_ROLE_CHANGE = "account_role_change", _("Changed a role")
        ACCOUNT_DEACTIVATE = "account_deactivate", _("Deactivated an account")
        ACCOUNT_REMOVE = "account_remove", _("Removed an account from an organizer")
        GROUP_ADD = "group_add", _("Added a group")
        GROUP_CHANGE = "group_change", _("Changed a group")
        GROUP_DELETE = "group_delete", _("Deleted a group")
        PURGE = "purge", _("Removed expired personal data")
        PERSONAL_DATA_LIST = "personal_data_list", _("Listed a person's data")
        PERSONAL_DATA_ERASE = "personal_data_erase", _("Erased a person's data")
        FEEDBACK_SEND = "feedback_send", _("Sent a municipality its feedback")
        REPORT_PUBLISH = "report_publish", _("Published the report")
        REPORT_WITHDRAW = "report_withdraw", _("Withdrew the published report")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    # Who ran a command when no Arvio user did: the operating system's account (cron, an administrator).
    os_user = models.CharField(_("system account"), max_length=150, blank=True)
    round_code = models.CharField(_("round"), max_length=100, blank=True, db_index=True)
    municipality_code = models.CharField(_("municipality"), max_length=3, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        who = self.username or self.os_user or "?"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.round_code} {self.municipality_code}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit entries cannot be deleted; `arvio purge` expires old ones.")
