from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from arvio.responses.imports import ResponsesFileError, responses_import
from arvio.surveys.models import Round


class Command(BaseCommand):
    help = "Imports the answers of a round run in another form tool, from CSV or XLSX (docs/responses-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("round", help="the round's code")
        parser.add_argument("file", help="the responses file, .csv or .xlsx")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite the responses municipalities have already submitted"
        )

    def handle(self, *args, round, file, replace, **options):
        found = Round.objects.filter(code=round).first()
        if found is None:
            raise CommandError(_("There is no round {code}.").format(code=round))
        try:
            result = responses_import(round=found, path=Path(file), replace=replace)
        except ResponsesFileError as error:
            for line in error.errors:
                self.stderr.write(line)
            raise CommandError(
                _("{file} was not imported (problems: {count}).").format(file=file, count=len(error.errors))
            ) from None
        self.stdout.write(
            _("Imported into round {code}: new responses: {created}, replaced: {replaced}.").format(
                created=len(result.created), replaced=len(result.replaced), code=found.code
            )
        )
