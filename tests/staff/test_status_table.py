import re
from datetime import date, datetime

from django.utils import translation

from arvio.invitations.mail import send_invitation
from arvio.invitations.status import Status
from arvio.lib.dates import HELSINKI
from arvio.responses.models import Response
from arvio.staff.status_table import Sorting, answers_per_day, sorting_from, status_counts_text
from tests.factories import make_round
from tests.invitations.helpers import DURING_ROUND, submit

URL = "/staff/rounds/testikierros/"


def test_it_counts_each_status_with_its_plural_form():
    statuses = [Status.SUBMITTED] * 3 + [Status.DRAFT] * 2 + [Status.NOT_OPENED] * 5
    with translation.override("en"):
        assert status_counts_text(statuses) == "3 submitted, 2 drafts, 5 not opened"
        assert status_counts_text([Status.DRAFT, Status.OPENED]) == "1 draft, 1 opened"
        assert status_counts_text([]) == ""


def test_it_counts_in_finnish_and_swedish():
    statuses = [Status.SUBMITTED] * 3 + [Status.DRAFT] + [Status.NOT_OPENED] * 5
    with translation.override("fi"):
        assert status_counts_text(statuses) == "3 lähetetty, 1 luonnos, 5 ei avattu"
    with translation.override("sv"):
        assert status_counts_text(statuses) == "3 inskickade, 1 utkast, 5 inte öppnade"


def test_it_makes_a_day_for_every_day_of_the_window():
    series = answers_per_day(
        [date(2024, 11, 7), date(2024, 11, 7), date(2024, 11, 9)],
        opens_on=date(2024, 11, 6),
        closes_on=date(2024, 11, 9),
    )
    assert series == [
        (date(2024, 11, 6), 0),
        (date(2024, 11, 7), 2),
        (date(2024, 11, 8), 0),
        (date(2024, 11, 9), 1),
    ]


def test_it_widens_the_window_for_an_answer_outside_it():
    series = answers_per_day([date(2024, 11, 12)], opens_on=date(2024, 11, 10), closes_on=date(2024, 11, 11))
    assert [day for day, _count in series] == [date(2024, 11, 10), date(2024, 11, 11), date(2024, 11, 12)]
    assert answers_per_day([], opens_on=date(2024, 11, 10), closes_on=date(2024, 11, 10)) == [(date(2024, 11, 10), 0)]


def test_it_reads_only_the_sorts_it_knows():
    assert sorting_from({"sort": "status", "order": "desc"}) == Sorting("status", True)
    assert sorting_from({"sort": "status", "order": "sideways"}) == Sorting("status", False)
    assert sorting_from({"sort": "'; DROP TABLE"}) == Sorting("", False)
    assert sorting_from({}).aria == {"municipality": "", "status": "", "last_mail": ""}
    assert Sorting("status", False).links["status"] == "?sort=status&order=desc"
    assert Sorting("status", True).links["status"] == "?sort=status&order=asc"


def _rows(content: str) -> list[str]:
    table = content.split('class="status-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


def _answered(round):
    submit(round.invitations.get(municipality__code="927"), at=datetime(2024, 11, 8, 9, 0, tzinfo=HELSINKI))
    Response.objects.create(
        invitation=round.invitations.get(municipality__code="235"), draft={}, draft_saved_at=DURING_ROUND, version=1
    )


def test_it_shows_the_counts_above_the_table(client, staff, round, during_round):
    _answered(round)
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert '<p class="status-counts" id="status-counts">1 submitted, 1 draft, 1 not opened</p>' in content


def test_it_sorts_by_municipality_status_and_last_mail(client, staff, round, during_round):
    _answered(round)
    send_invitation(invitation=round.invitations.get(municipality__code="710"))
    client.force_login(staff)
    assert _rows(client.get(URL, {"sort": "municipality"}).content.decode()) == ["Kauniainen", "Raasepori", "Vihti"]
    content = client.get(URL, {"sort": "municipality", "order": "desc"}).content.decode()
    assert _rows(content) == ["Vihti", "Raasepori", "Kauniainen"]
    assert 'aria-sort="descending"' in content
    assert 'href="?sort=municipality&amp;order=asc"' in content
    # Not opened, opened, draft, submitted: the order a municipality moves through.
    assert _rows(client.get(URL, {"sort": "status"}).content.decode()) == ["Raasepori", "Kauniainen", "Vihti"]
    assert _rows(client.get(URL, {"sort": "last_mail", "order": "desc"}).content.decode())[0] == "Raasepori"
    assert client.get(URL, {"sort": "nonsense", "order": "x"}).status_code == 200


def test_it_draws_the_submissions_per_day_with_a_table_twin(client, staff, round, during_round):
    _answered(round)
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in content
    assert "1 submission from 6.11.2024 to 5.12.2024" in content
    assert content.count('class="chart__bar"') == 1
    assert '<tr><th scope="row">8.11.2024</th><td>1</td></tr>' in content
    assert '<tr><th scope="row">9.11.2024</th><td>0</td></tr>' in content


def test_it_draws_an_empty_timeline_for_a_round_with_no_answers(client, staff, db):
    make_round("tyhja", municipalities=[])
    client.force_login(staff)
    content = client.get("/staff/rounds/tyhja/").content.decode()
    assert "0 submissions from 6.11.2024 to 5.12.2024" in content
    assert 'class="chart__bar"' not in content
