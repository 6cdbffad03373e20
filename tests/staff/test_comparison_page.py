"""The round's comparison page: choosing the baseline round or none, and editing the mapping rows."""

from datetime import date

import pytest

from arvio.records.models import AuditEntry
from arvio.surveys.models import BaselineMapping, Node, Round
from tests.factories import make_round

pytestmark = pytest.mark.django_db

URL = "/staff/rounds/testikierros/comparison/"


@pytest.fixture
def rounds(db):
    earlier = make_round("kierros-2022", opens_on=date(2022, 11, 7), closes_on=date(2022, 12, 7))
    Node.objects.filter(round=earlier, code="osallisuus").update(code="osallisuus-vanha")
    older = make_round("kierros-2020", opens_on=date(2020, 11, 9), closes_on=date(2020, 12, 9))
    return make_round(), earlier, older


def test_it_shows_the_default_baseline_to_a_viewer_without_the_forms(client, viewer, rounds):
    client.force_login(viewer)
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Compared with: Kuntakysely" in content
    assert "(now: Kuntakysely (7.11.–7.12.2022))" not in content  # the form is staff's only
    assert 'action="/staff/rounds/testikierros/comparison/baseline/"' not in content


def test_it_lets_staff_choose_an_older_baseline_and_records_it(client, staff, rounds):
    round, earlier, older = rounds
    client.force_login(staff)
    assert "(now: Kuntakysely (7.11.–7.12.2022))" in client.get(URL).content.decode()

    response = client.post(URL + "baseline/", {"baseline": "kierros-2020"})

    assert response.status_code == 302 and response["Location"] == URL
    round.refresh_from_db()
    assert round.baseline == older and not round.no_baseline
    entry = AuditEntry.objects.get(action=AuditEntry.Action.COMPARISON_EDIT)
    assert (entry.username, entry.round_code, entry.detail["baseline"]) == ("staff", "testikierros", "kierros-2020")


def test_it_lets_staff_choose_none_and_back_to_the_default(client, staff, rounds):
    round, earlier, _older = rounds
    client.force_login(staff)
    client.post(URL + "baseline/", {"baseline": "none"})
    round.refresh_from_db()
    assert round.no_baseline and round.compared_round_now() is None
    client.post(URL + "baseline/", {"baseline": ""})
    round.refresh_from_db()
    assert not round.no_baseline and round.baseline is None and round.compared_round_now() == earlier


def test_it_adds_and_removes_a_mapping_row(client, staff, rounds):
    round, _earlier, _older = rounds
    client.force_login(staff)

    response = client.post(URL + "mapping/", {"baseline_code": "osallisuus-vanha", "code": "osallisuus"})
    assert response.status_code == 302
    row = BaselineMapping.objects.get(round=round)
    assert (row.baseline_code, row.code) == ("osallisuus-vanha", "osallisuus")
    assert "osallisuus-vanha → osallisuus" in client.get(URL).content.decode()

    again = client.post(URL + "mapping/", {"baseline_code": "osallisuus-vanha", "code": "osallisuus"})
    assert again.status_code == 400
    assert "These two goals are mapped to each other already." in again.content.decode()

    client.post(URL + f"mapping/{row.pk}/remove/")
    assert not BaselineMapping.objects.filter(round=round).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.COMPARISON_EDIT).count() == 2


def test_it_drops_the_rows_a_new_baseline_cannot_hold(client, staff, rounds):
    round, _earlier, _older = rounds
    BaselineMapping.objects.create(round=round, baseline_code="osallisuus-vanha", code="osallisuus")
    client.force_login(staff)
    response = client.post(URL + "baseline/", {"baseline": "kierros-2020"}, follow=True)
    assert not BaselineMapping.objects.filter(round=round).exists()
    assert "1 mapping row named a goal the new baseline round does not have and was removed." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "data",
    [
        {"baseline": "testikierros"},  # itself
        {"baseline": "nonexistent"},
        {"baseline": ["none", ""]},  # sent twice
    ],
)
def test_it_refuses_a_baseline_that_is_not_offered_and_changes_nothing(client, staff, rounds, data):
    round, _earlier, _older = rounds
    client.force_login(staff)
    response = client.post(URL + "baseline/", data)
    assert response.status_code == 400
    round.refresh_from_db()
    assert round.baseline is None and not round.no_baseline


@pytest.mark.parametrize(
    "data",
    [
        {"baseline_code": "osallisuus", "code": "nope"},
        {"baseline_code": "nope", "code": "osallisuus"},
        {"baseline_code": "", "code": ""},
        {},
    ],
)
def test_it_refuses_a_mapping_row_naming_goals_that_do_not_exist(client, staff, rounds, data):
    client.force_login(staff)
    response = client.post(URL + "mapping/", data)
    assert response.status_code == 400
    assert not BaselineMapping.objects.exists()


def test_it_refuses_a_later_round_as_the_baseline(client, staff, rounds):
    _round, earlier, _older = rounds
    client.force_login(staff)
    response = client.post("/staff/rounds/kierros-2020/comparison/baseline/", {"baseline": "kierros-2022"})
    assert response.status_code == 400
    assert Round.objects.get(code="kierros-2020").baseline is None


def test_it_refuses_viewers_and_outsiders(client, viewer, outsider, rounds):
    round, _earlier, _older = rounds
    client.force_login(viewer)
    assert client.post(URL + "baseline/", {"baseline": "none"}).status_code == 403
    assert client.post(URL + "mapping/", {"baseline_code": "osallisuus", "code": "osallisuus"}).status_code == 403
    client.force_login(outsider)
    assert client.get(URL).status_code in (403, 404)
    assert client.post(URL + "baseline/", {"baseline": "none"}).status_code in (403, 404)
    assert client.get("/staff/rounds/nonexistent/comparison/").status_code in (403, 404)
    round.refresh_from_db()
    assert not round.no_baseline


def test_it_asks_for_a_login(client, rounds):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
