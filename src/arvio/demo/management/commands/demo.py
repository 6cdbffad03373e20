from django.core.management.base import BaseCommand

from arvio.demo.load import demo_load


class Command(BaseCommand):
    help = (
        "Loads the demo: the county's real 2024 round with its answers, an open round to try the answer "
        "form, and two staff users with new passwords; publishes the 2024 report. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo rounds and load them again.")
        parser.add_argument(
            "--no-publish",
            action="store_false",
            dest="publish",
            help="Leave the 2024 report unpublished (publishing renders every language and format: seconds).",
        )

    def handle(self, *args, reset=False, publish=True, **options):
        demo = demo_load(reset=reset, publish=publish)
        past, open_ = demo.past_round, demo.open_round
        answered = past.invitations.filter(response__submitted_at__isnull=False).count()
        write = self.stdout.write

        write(self.style.SUCCESS("Demo loaded."))
        baseline = past.compared_round_now()
        compared = f", compared with {baseline.code}" if baseline else ""
        write(f"  {past.code}: closed, {answered} of {past.invitations.count()} municipalities answered{compared}")
        write(f"  {open_.code}: open {open_.opens_on.isoformat()} – {open_.closes_on.isoformat()}, no answers")
        write("")
        write(f"Staff login: {demo.login_url}")
        width = max(len(login.username) for login in demo.logins)
        for login in demo.logins:
            write(f"  {login.username:<{width}}  password {login.password}  ({login.role})")
        write("")
        write(f"Answer links for {open_.code}:")
        for link in demo.links:
            municipality = link.municipality
            write(f"  {municipality.name_fi} / {municipality.name_sv} ({municipality.get_language_display()}):")
            write(f"    {link.url}")
        write("")
        write(f"Feedback link for {past.code} (closed, so the link opens the municipality's feedback):")
        feedback = demo.feedback_link.municipality
        write(f"  {feedback.name_fi} / {feedback.name_sv} ({feedback.get_language_display()}):")
        write(f"    {demo.feedback_link.url}")
        if past.publications.filter(withdrawn_at__isnull=True).exists():
            write("")
            write(f"Published report of {past.code}, in Finnish and Swedish (and English), no login:")
            write(f"  {demo.published_url}  (add ?lang=sv for an address that opens in Swedish, ?lang=fi in Finnish)")
