from datetime import date

from django.utils import timezone

from tests.factories import make_round
from tests.invitations.helpers import submit

URL = "/staff/"


def test_it_sends_anonymous_to_login(client, round):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == "/staff/login/?next=/staff/"


def test_it_forbids_an_outsider(client, outsider, round):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_it_shows_rounds_to_a_viewer(client, viewer, round):
    client.force_login(viewer)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Kuntakysely" in response.content


def test_it_lists_code_title_window_answered_and_status(client, staff, round, during_round):
    submit(round.invitations.first(), at=timezone.now())
    client.force_login(staff)
    response = client.get(URL)
    content = response.content.decode()
    assert 'href="/staff/rounds/testikierros/"' in content
    assert "<td>testikierros</td>" in content
    assert "6.11.–5.12.2024" in content
    assert ">1/3<" in content
    assert "<td>Open</td>" in content


def test_it_tells_rounds_not_yet_open_and_closed(client, staff, during_round):
    make_round("vanha", opens_on=date(2023, 11, 1), closes_on=date(2023, 11, 30))
    make_round("tuleva", opens_on=date(2025, 11, 1), closes_on=date(2025, 11, 30))
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "<td>Closed</td>" in content
    assert "<td>Not yet open</td>" in content
    assert ">0/3<" in content
