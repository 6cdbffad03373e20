"""The results page compared with the baseline: the change beside each value, the baseline's value on
request, the flags with their reasons, goals new and dropped, and the trend across three rounds."""

from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from arvio.results.report import report_build
from arvio.surveys.models import Round
from tests.staff.test_results_page import section, tables

URL = "/staff/rounds/kuntakysely-2024/results/"
MINUS = "\u2212"


@pytest.fixture
def demo(db):
    call_command("demo", "--no-publish", stdout=StringIO())
    return Round.objects.get(code="kuntakysely-2024")


@pytest.fixture
def finnish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"


@pytest.fixture
def swedish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"


def summary_table(content):
    found = tables(content)
    return found["Yhteenveto kuntien vastauksista"]


def test_it_shows_the_change_beside_each_value_with_the_baseline_on_request(client, staff, demo, finnish):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    report = report_build(demo, language="fi")

    rows = summary_table(response.content)
    assert rows[0][-1] == "Muutos vuodesta 2022"
    for cells, node in zip(rows[1:], report.summary):
        change = node.comparison
        assert cells[1].startswith(node.value.display)
        assert cells[-1].startswith(change.display)
        assert f"2022: {change.baseline.display} (n = {change.baseline.n})" in cells[-1]
        assert "vastaajat eri kunnat" in cells[-1]
    html = response.content.decode()
    assert '<details class="change__details">' in html
    assert "Vastaajat eri kunnat (vain 2024: Hanko; vain 2022: Espoo, Vihti)" in html


def test_it_lists_the_goals_new_in_this_round_and_names_the_baseline(client, staff, demo, finnish):
    client.force_login(staff)
    comparison = section(client.get(URL).content, "comparison")
    assert "Vertailukierros" in comparison and "2022" in comparison
    assert "Yhteistyö ympäristövahinkojen torjunnassa on toimivaa." in comparison
    assert "vain 2022: Espoo, Vihti" in comparison


def test_it_draws_the_trend_of_each_summary_row_with_a_table_twin_in_swedish(client, viewer, demo, swedish):
    client.force_login(viewer)
    content = client.get(URL).content
    trend = section(content, "trend")
    report = report_build(demo, language="sv")

    svgs = [part.split("</svg>")[0] + "</svg>" for part in trend.split("<svg")[1:]]
    assert len(svgs) == len(report.summary)
    for svg, row in zip(svgs, report.summary):
        chart = ElementTree.fromstring("<svg" + svg)  # well-formed
        namespace = "{http://www.w3.org/2000/svg}"
        assert chart.get("role") == "img"
        assert [point.value.display for point in row.trend] == [
            text.text for text in chart.iter(f"{namespace}text") if text.get("class") == "chart__value"
        ]
    twin = tables(content)["Utvecklingens siffror"]
    assert twin[0] == ["Rad", "2020", "2022", "2024"]
    assert twin[1][-1] == f"{report.summary[0].value.display} (n = {report.summary[0].value.n})"


def test_it_shows_no_comparison_for_a_round_without_baseline(client, staff, demo, finnish):
    client.force_login(staff)
    content = client.get("/staff/rounds/kuntakysely-demo/results/").content.decode()
    assert 'id="comparison"' not in content and 'id="trend"' not in content
    assert "Muutos vuodesta" not in content


def test_the_outsider_sees_no_comparison(client, outsider, demo):
    client.force_login(outsider)
    assert client.get(URL).status_code in (403, 404)
