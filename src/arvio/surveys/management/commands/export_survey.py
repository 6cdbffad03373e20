from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from arvio.surveys.models import Round
from arvio.surveys.survey_export import survey_export_yaml


class Command(BaseCommand):
    help = "Writes a round as a survey definition file (docs/survey-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("round", help="the round's code")
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, *args, round, output, **options):
        found = Round.objects.filter(code=round).first()
        if found is None:
            raise CommandError(_("There is no round {code}.").format(code=round))
        text = survey_export_yaml(round=found)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(_("Wrote round {code} to {file}.").format(code=found.code, file=output))
        else:
            self.stdout.write(text, ending="")
