from django.core.management.base import BaseCommand

from arvio.demo.load import demo_load


class Command(BaseCommand):
    help = (
        "Loads the demo: the county's real 2024 round with its answers, an open round to try the answer "
        "form, and two staff users with new passwords. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo rounds and load them again.")

    def handle(self, *args, reset=False, **options):
        demo = demo_load(reset=reset)
        past, open_ = demo.past_round, demo.open_round
        answered = past.invitations.filter(response__submitted_at__isnull=False).count()
        write = self.stdout.write

        write(self.style.SUCCESS("Demo loaded."))
        write(f"  {past.code}: closed, {answered} of {past.invitations.count()} municipalities answered")
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
