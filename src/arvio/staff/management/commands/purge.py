from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from arvio.lib.dates import format_date, format_datetime, local_date
from arvio.staff.personal_data import PurgePlan, purge_plan, purge_run


class Command(BaseCommand):
    help = (
        "Removes personal data no longer needed: contact people, submitters' names and mail addresses of rounds that "
        "ended more than ARVIO_PERSONAL_DATA_DAYS ago, expired sessions, uploaded responses files never confirmed, "
        "old login records and audit entries past their retention. The municipalities' answers stay. Run it daily from cron (docs/deployment.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be removed; remove nothing")

    def handle(self, *args, dry_run, verbosity, **options):
        now = timezone.now()
        if dry_run:
            plan = purge_plan(now=now)
            self._list(plan, items=True)
            self.stdout.write(_("Dry run: nothing was removed."))
            return
        plan = purge_run(now=now)
        self._list(plan, items=verbosity > 1)
        self.stdout.write(_("Removed. The municipalities' answers were kept."))

    def _list(self, plan: PurgePlan, *, items: bool):
        write = self.stdout.write
        write(
            _("Rounds that ended before {day} ({days} days ago):").format(
                day=format_date(local_date(plan.cutoff)), days=settings.ARVIO_PERSONAL_DATA_DAYS
            )
        )
        rounds = [purge for purge in plan.rounds if not purge.empty]
        if not rounds:
            write("  " + _("none with personal data left"))
        for purge in rounds:
            write(
                "  "
                + _(
                    "{code} (ended {when}): contact people {contacts}, submitters' names {submitters}, "
                    "mail addresses {mails}"
                ).format(
                    code=purge.round.code,
                    when=format_datetime(purge.ended_at),
                    contacts=len(purge.contacts),
                    submitters=len(purge.submitters),
                    mails=len(purge.mails),
                )
            )
            if not items:
                continue
            for contact in purge.contacts:
                write(
                    "    "
                    + _("contact person: {municipality}: {name} <{email}>").format(
                        municipality=contact.invitation.municipality.code, name=contact.name, email=contact.email
                    )
                )
            for response in purge.submitters:
                write(
                    "    "
                    + _("submitter's name: {municipality}: {name}").format(
                        municipality=response.invitation.municipality.code, name=response.submitted_by
                    )
                )
            for mail in purge.mails:
                write(
                    "    "
                    + _("mail address: {municipality}: {recipients} ({when})").format(
                        municipality=mail.invitation.municipality.code,
                        recipients=mail.recipients,
                        when=format_datetime(mail.sent_at or mail.queued_at),
                    )
                )
        write(
            _("Mail to staff accounts older than {days} days: {count}").format(
                days=settings.ARVIO_PERSONAL_DATA_DAYS, count=len(plan.account_mails)
            )
        )
        write(_("Expired sessions: {count}").format(count=plan.sessions))
        write(_("Uploaded responses files never confirmed: {count}").format(count=plan.uploads))
        write(
            _("Login records older than {days} days: {count}").format(
                days=settings.ARVIO_LOGIN_RECORDS_DAYS, count=plan.login_records
            )
        )
        write(
            _("Audit entries older than {days} days: {count}").format(
                days=settings.ARVIO_AUDIT_LOG_DAYS, count=plan.audit_entries
            )
        )
