from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from arvio.lib.i18n import LANGUAGES
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.results.formats import exporters
from arvio.results.report import report_build
from arvio.surveys.models import Round


class Command(BaseCommand):
    help = "Writes a round's report in one format and language: the same files as the results page's downloads."

    def add_arguments(self, parser):
        parser.add_argument("round", help="the round's code")
        parser.add_argument("--format", required=True, choices=list(exporters()), help="the file format")
        parser.add_argument("--lang", default="fi", choices=list(LANGUAGES), help="the report's language")
        parser.add_argument(
            "-o", "--output", help="the file to write (default: the format's file name in the current directory)"
        )
        parser.add_argument(
            "--delimiter",
            choices=("comma", "semicolon"),
            help="CSV only (default: semicolon in fi and sv, comma in en)",
        )
        parser.add_argument(
            "--table", choices=("results", "answers", "respondents"), help="CSV only (default: results)"
        )
        parser.add_argument(
            "--with-answers", action="store_true", help="include each municipality's answers where the format can"
        )

    def handle(self, *args, round, format, lang, output, delimiter, table, with_answers, **options):
        found = Round.objects.filter(code=round).first()
        if found is None:
            raise CommandError(_("There is no round {code}.").format(code=round))
        exporter = exporters()[format]
        # Only the options given: each exporter keeps its own defaults (CSV's delimiter follows the language).
        given = {name: value for name, value in (("delimiter", delimiter), ("table", table)) if value is not None}
        if exporter.invalid_options(given):
            raise CommandError(
                _("--{options} cannot be used with --format {format}.").format(
                    options=", --".join(exporter.invalid_options(given)), format=format
                )
            )
        # Each municipality's answers go into a file only when asked for, or when the format is made of them.
        include_answers = with_answers or exporter.needs_answers_for(**given)
        report = report_build(
            found,
            language=lang,
            include_answers=include_answers,
            include_respondents=exporter.needs_respondents_for(**given),
        )
        try:
            filename, _content_type, chunks = exporter.stream(report, **given)
        except ValueError as error:
            raise CommandError(str(error)) from error
        path = Path(output) if output else Path.cwd() / filename
        size = 0
        with path.open("wb") as file:
            for chunk in chunks:
                file.write(chunk)
                size += len(chunk)
        record(
            action=AuditEntry.Action.REPORT_EXPORT,
            round_code=found.code,
            detail={
                "format": format,
                "language": lang,
                "answers": include_answers,
                "via": "command",
                "file": path.name,
                **given,
            },
        )
        self.stderr.write(_("Wrote {file} ({size} bytes).").format(file=path, size=size))
