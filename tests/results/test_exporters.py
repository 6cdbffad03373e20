"""Every registered format renders a built report without touching the database, whatever its options."""

import dataclasses
import io
from itertools import product

import pytest
from django.core.management import call_command
from django.db import transaction

from arvio.results.formats import exporters
from arvio.results.report import Report, ReportAnswers, report_build
from arvio.surveys.models import Round


def _cases() -> list:
    """Each exporter with its defaults, and with every combination of its options' values."""
    cases = []
    for identifier, exporter in exporters().items():
        cases.append(pytest.param(identifier, {}, id=identifier))
        names = list(exporter.options)
        if not names:
            continue
        for values in product(*(exporter.options[name] for name in names)):
            cases.append(pytest.param(identifier, dict(zip(names, values)), id="-".join([identifier, *values])))
    return cases


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker) -> Report:
    """The demo's report with each municipality's answers, built once: a Report is plain data."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-publish", stdout=io.StringIO())
        built = report_build(Round.objects.get(code="kuntakysely-2024"), language="fi", include_answers=True)
        # A built report reads each municipality's answers from the database as they are iterated (ReportAnswers,
        # tests/results/test_report.py): read here, inside the demo's transaction, they are plain data too.
        built = dataclasses.replace(built, answers=ReportAnswers(list(built.answers.source), built.language))
        transaction.set_rollback(True)
    return built


@pytest.mark.django_db
@pytest.mark.parametrize("identifier, options", _cases())
def test_it_renders_from_the_report_alone(report, django_assert_num_queries, identifier, options):
    exporter = exporters()[identifier]

    with django_assert_num_queries(0):
        filename, content_type, content = exporter.render(report, **options)

    assert filename.startswith("kuntakysely-2024-fi")
    assert filename.endswith(f".{exporter.extension}")
    assert content_type == exporter.content_type
    assert content
