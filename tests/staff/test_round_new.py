from datetime import date, datetime

import pytest

from arvio.lib.dates import HELSINKI
from arvio.records.models import AuditEntry
from arvio.responses.models import Response
from arvio.staff.models import Membership
from arvio.surveys.models import Organizer, Round
from arvio.surveys.survey_export import survey_export
from tests.factories import make_round
from tests.invitations.helpers import submit

URL = "/staff/rounds/new/"
TODAY = datetime(2026, 10, 1, 12, 0, tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _fields(**changes):
    fields = {
        "start": "copy",
        "source": "testikierros",
        "title_fi": "Kuntakysely 2026",
        "title_sv": "Kommunenkät 2026",
        "title_en": "",
        "opens_on": "2026-11-04",
        "closes_on": "2026-12-03",
        "code": "",
    }
    return fields | changes


def test_it_sends_anonymous_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/")


@pytest.mark.parametrize("person", ["viewer", "outsider"])
def test_it_lets_only_evaluation_staff_make_a_round(client, round, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _fields()).status_code == 403
    assert Round.objects.count() == 1


def test_it_offers_the_rounds_to_copy(client, staff, round):
    client.force_login(staff)
    html = client.get(URL).text
    assert '<option value="testikierros">Kuntakysely (testikierros)</option>' in html
    assert 'id="id_start_0" value="copy" checked' in html
    assert "kuntakysely-2026" not in html  # no title typed yet: the hint shows the default's


def test_it_preselects_the_round_named_in_the_address(client, staff, round):
    make_round("toinen")
    client.force_login(staff)
    html = client.get(URL + "?copy=toinen").text
    assert '<option value="toinen" selected>' in html


def test_it_copies_a_round_and_goes_to_the_new_rounds_page(client, staff, round):
    client.force_login(staff)
    response = client.post(URL, _fields(code="kysely-2026"))
    assert response.status_code == 302
    assert response.url == "/staff/rounds/kysely-2026/"
    copy = Round.objects.get(code="kysely-2026")
    assert (copy.title_fi, copy.title_sv, copy.opens_on, copy.closes_on) == (
        "Kuntakysely 2026",
        "Kommunenkät 2026",
        date(2026, 11, 4),
        date(2026, 12, 3),
    )
    assert [node.code for node in copy.tree()] == [node.code for node in round.tree()]
    assert copy.invitations.count() == 3
    page = client.get(response.url).text
    assert "Round “Kuntakysely 2026” was made as a copy of “Kuntakysely”." in page
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROUND_CREATE)
    assert (entry.username, entry.round_code, entry.detail) == ("staff", "kysely-2026", {"copied_from": "testikierros"})


def test_it_copies_no_answers(client, staff, round):
    submit(round.invitations.first(), at=TODAY, values={"osallisuus": 4})
    client.force_login(staff)
    client.post(URL, _fields(code="kysely-2026"))
    assert not Response.objects.filter(invitation__round__code="kysely-2026").exists()


def test_it_makes_the_code_from_the_title_and_year_when_none_is_given(client, staff, round):
    client.force_login(staff)
    response = client.post(URL, _fields())
    assert response.url == "/staff/rounds/kuntakysely-2026/"


def test_it_makes_a_blank_round(client, staff, round):
    client.force_login(staff)
    response = client.post(URL, _fields(start="blank", source="", code="tyhja-2026", title_en="Survey 2026"))
    assert response.url == "/staff/rounds/tyhja-2026/"
    blank = Round.objects.get(code="tyhja-2026")
    assert blank.organizer.code == "luvn"
    assert blank.tree() == []
    assert not blank.invitations.exists()
    assert blank.scale.count() == 5
    assert blank.title_en == "Survey 2026"
    assert "Add its goals, municipalities and contact people." in client.get(response.url).text
    assert survey_export(round=blank)["documents"] == []


def test_it_makes_a_blank_round_without_any_round_to_copy(client, staff):
    # The staff fixture is evaluation staff of "luvn", which has no round yet.
    client.force_login(staff)
    html = client.get(URL).text
    assert 'value="copy"' not in html
    assert 'id="id_start_0" value="blank" checked' in html
    response = client.post(URL, _fields(start="blank", source="", code="eka-2026"))
    assert response.status_code == 302


def test_it_asks_for_the_organizer_when_there_are_several(client, staff, round):
    _staff_of_another_organizer(staff)
    client.force_login(staff)
    html = client.get(URL).text
    assert '<select name="organizer" id="id_organizer"' in html
    response = client.post(URL, _fields(start="blank", source="", code="tyhja-2026"))
    assert response.status_code == 400
    assert "Choose the organizer of the round." in response.text
    response = client.post(URL, _fields(start="blank", source="", code="tyhja-2026", organizer="hus"))
    assert Round.objects.get(code="tyhja-2026").organizer.code == "hus"


def _staff_of_another_organizer(user):
    hus = Organizer.objects.create(code="hus", name_fi="Helsingin kaupunki", name_sv="Helsingfors stad")
    Membership.objects.create(user=user, organizer=hus, role=Membership.Role.STAFF)


def test_a_copy_belongs_to_the_organizer_of_the_round_copied(client, staff, round):
    _staff_of_another_organizer(staff)
    client.force_login(staff)
    client.post(URL, _fields(code="kysely-2026", organizer="hus"))
    assert Round.objects.get(code="kysely-2026").organizer.code == "luvn"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "testikierros"}, "code", "Another round already has the code testikierros."),
        ({"code": "Iso Kirjain"}, "code", "A code may hold only lower-case letters a–z, digits, - and _."),
        ({"code": "new"}, "code", "The code new is reserved for Arvio&#x27;s own pages."),
        ({"title_sv": "  "}, "title_sv", "This field is required."),
        (
            {"opens_on": "2026-09-30"},
            "opens_on",
            "A new round cannot open in the past: choose today, 1.10.2026, or later.",
        ),
        ({"closes_on": "2026-11-03"}, "closes_on", "The round cannot close before it opens."),
        ({"closes_on": "2027-12-31"}, "closes_on", "The answering time can be at most a year long."),
        ({"opens_on": "2031-01-01", "closes_on": "2031-02-01"}, "opens_on", "A new round can open at most three years"),
        ({"opens_on": "4.11.2026"}, "opens_on", "Enter a valid date."),
        ({"source": ""}, "source", "Choose the round to copy."),
        ({"source": "ei-ole"}, "source", "Select a valid choice."),
        ({"start": "both"}, "start", "Select a valid choice."),
    ],
)
def test_it_says_what_is_wrong_and_keeps_what_was_typed(client, staff, round, changes, field, message):
    client.force_login(staff)
    response = client.post(URL, _fields(**changes))
    assert response.status_code == 400
    html = response.text
    assert 'class="error-summary"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert 'value="Kommunenkät 2026"' in html or field == "title_sv"
    assert Round.objects.count() == 1


def test_it_links_new_round_from_the_rounds_list_for_evaluation_staff_only(client, staff, viewer, round):
    client.force_login(staff)
    assert 'href="/staff/rounds/new/"' in client.get("/staff/").text
    client.force_login(viewer)
    assert 'href="/staff/rounds/new/"' not in client.get("/staff/").text


def test_it_links_a_copy_from_the_rounds_page(client, staff, round):
    client.force_login(staff)
    assert 'href="/staff/rounds/new/?copy=testikierros"' in client.get("/staff/rounds/testikierros/").text


@pytest.mark.parametrize("format", ["pptx", "pdf", "html", "xlsx", "csv", "json"])
def test_a_blank_rounds_pages_and_downloads_open(client, staff, round, format):
    """A round with no goals yet is a draft that staff build: none of its pages may fail on it."""
    client.force_login(staff)
    client.post(URL, _fields(start="blank", source="", code="tyhja-2026"))
    for url in (
        "/staff/rounds/tyhja-2026/",
        "/staff/rounds/tyhja-2026/results/",
        "/staff/rounds/tyhja-2026/preview/sv/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.get(f"/staff/rounds/tyhja-2026/results/download/?format={format}&lang=fi")
    assert response.status_code == 200
