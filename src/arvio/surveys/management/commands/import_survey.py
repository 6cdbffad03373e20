from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from arvio.surveys.definition import SurveyFileError, survey_definition_load
from arvio.surveys.models import Round
from arvio.surveys.survey_import import survey_import


class Command(BaseCommand):
    help = "Creates a round from a survey definition file (docs/survey-format.md), or updates the round with its code."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the survey definition file (YAML)")

    def handle(self, *args, file, **options):
        try:
            code = survey_definition_load(file).round.code
            existed = Round.objects.filter(code=code).exists()
            round = survey_import(source=file)
        except SurveyFileError as error:
            for line in error.errors:
                self.stderr.write(line)
            raise CommandError(
                _("{file} was not imported (problems: {count}).").format(file=file, count=len(error.errors))
            ) from None
        nodes = round.tree()
        rated = sum(1 for node in nodes if node.is_rated)
        invitations = round.invitations.count()
        summary = _(
            "goal tree nodes: {nodes} (rated: {rated}), scale options: {options}, open questions: {questions}, "
            "invitations: {invitations}, contact people: {contacts}"
        ).format(
            nodes=len(nodes),
            rated=rated,
            options=round.scale.count(),
            questions=round.questions.count(),
            invitations=invitations,
            contacts=sum(i.contacts.count() for i in round.invitations.all()),
        )
        if existed:
            self.stdout.write(_("Updated round {code}: {summary}.").format(code=round.code, summary=summary))
        else:
            self.stdout.write(_("Created round {code}: {summary}.").format(code=round.code, summary=summary))
