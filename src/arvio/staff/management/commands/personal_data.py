from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from arvio.lib.dates import format_datetime
from arvio.staff.personal_data import PersonData, person_erase, person_list


class Command(BaseCommand):
    help = (
        "Lists what Arvio holds about one person, by email address: contact entries, mail sent to them, answers "
        "submitted under their name, accounts and login records. With --erase, removes it (an account the audit log "
        "names is deactivated and its email and name blanked instead of deleted)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the person's email address")
        parser.add_argument("--erase", action="store_true", help="remove the data listed")

    def handle(self, *args, email, erase, **options):
        try:
            validate_email(email.strip())
        except ValidationError:
            raise CommandError(_("{email} is not an email address.").format(email=email)) from None
        found = person_erase(email=email) if erase else person_list(email=email)
        self._list(found)
        if found.empty:
            self.stdout.write(_("Arvio holds no personal data under {email}.").format(email=email.strip()))
        elif erase:
            self.stdout.write(_("Erased. The municipalities' answers were kept."))
        if found.audit_entries:
            self.stdout.write(
                _(
                    "The audit log names this person's account in {count} entries; they are kept until their "
                    "retention period ends (ARVIO_AUDIT_LOG_DAYS)."
                ).format(count=found.audit_entries)
            )

    def _list(self, found: PersonData):
        write = self.stdout.write
        for contact in found.contacts:
            write(
                _("contact person: round {round}, {municipality}: {name}, {role} <{email}>").format(
                    round=contact.invitation.round.code,
                    municipality=contact.invitation.municipality.code,
                    name=contact.name,
                    role=contact.role or "–",
                    email=contact.email,
                )
            )
        for mail in found.mails:
            if mail.invitation is None:  # a mail about the person's staff account
                write(
                    _("mail: {kind} {when} to {recipients}").format(
                        kind=mail.get_kind_display(),
                        when=format_datetime(mail.sent_at or mail.queued_at),
                        recipients=mail.recipients,
                    )
                )
                continue
            write(
                _("mail: round {round}, {municipality}: {kind} {when} to {recipients}").format(
                    round=mail.invitation.round.code,
                    municipality=mail.invitation.municipality.code,
                    kind=mail.get_kind_display(),
                    when=format_datetime(mail.sent_at or mail.queued_at),
                    recipients=mail.recipients,
                )
            )
        for response in found.submitted:
            write(
                _("submitted by: round {round}, {municipality}: {name}").format(
                    round=response.invitation.round.code,
                    municipality=response.invitation.municipality.code,
                    name=response.submitted_by,
                )
            )
        for account in found.accounts:
            write(
                _("account: {username} ({state}), last login {when}").format(
                    username=account.get_username(),
                    state=_("active") if account.is_active else _("inactive"),
                    when=format_datetime(account.last_login) or "–",
                )
            )
        if found.login_records:
            write(_("login records: {count}").format(count=found.login_records))
