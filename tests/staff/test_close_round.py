from django.utils import timezone

from arvio.surveys.models import Round

URL = "/staff/rounds/testikierros/close/"


def test_it_sends_anonymous_to_login(client, round):
    for response in (client.get(URL), client.post(URL)):
        assert response.status_code == 302
        assert response.url.startswith("/staff/login/?next=")
    assert Round.objects.get().closed_at is None


def test_it_forbids_an_outsider(client, outsider, round):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert Round.objects.get().closed_at is None


def test_it_forbids_a_viewer(client, viewer, round):
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert Round.objects.get().closed_at is None


def test_it_asks_to_confirm(client, staff, round, during_round):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Close the round \xe2\x80\x9cKuntakysely\xe2\x80\x9d?" in response.content
    assert b'<form method="post"' in response.content
    assert Round.objects.get().closed_at is None


def test_it_closes_the_round(client, staff, round, during_round):
    client.force_login(staff)
    response = client.post(URL, follow=True)
    assert response.redirect_chain == [("/staff/rounds/testikierros/", 302)]
    assert b"The round is closed." in response.content
    assert Round.objects.get().closed_at == timezone.now()
    assert response.content.count(b"No answer within the deadline") == 4  # three rows and the message


def test_it_keeps_the_first_closing_time(client, staff, round, during_round, time_machine):
    client.force_login(staff)
    client.post(URL)
    first = Round.objects.get().closed_at
    time_machine.shift(3600)
    response = client.post(URL, follow=True)
    assert b"The round was already closed." in response.content
    assert Round.objects.get().closed_at == first
