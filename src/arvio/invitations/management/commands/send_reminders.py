"""`arvio send_reminders ROUND`: for cron. Running it again the same day sends nothing twice."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from arvio.invitations.services import reminders_send
from arvio.surveys.models import Round


class Command(BaseCommand):
    help = (
        "Reminds the invited municipalities of a round that have not submitted, "
        "when the round's reminder interval has passed since they were last invited or reminded."
    )

    def add_arguments(self, parser):
        parser.add_argument("round_code", metavar="ROUND", help="the round's code")

    def handle(self, *args, round_code, **options):
        try:
            round = Round.objects.get(code=round_code)
        except Round.DoesNotExist:
            raise CommandError(f"No round with the code {round_code!r}.") from None
        sent = reminders_send(round=round, now=timezone.now())
        municipalities = len({mail.invitation_id for mail in sent})
        self.stdout.write(
            f"{round.code}: queued {len(sent)} reminders to {municipalities} municipalities; the mail worker sends them."
        )
