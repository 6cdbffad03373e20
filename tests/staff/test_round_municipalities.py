from arvio.invitations.models import Invitation
from arvio.records.models import AuditEntry
from arvio.responses.models import Response
from arvio.surveys.models import Municipality
from tests.invitations.helpers import DURING_ROUND, submit

URL = "/staff/rounds/testikierros/municipalities/"
ADD = URL + "add/"


def test_it_sends_anonymous_to_login(client, round):
    assert client.get(URL).url.startswith("/staff/login/?next=")
    assert client.post(ADD, {"code": "049"}).url.startswith("/staff/login/?next=")


def test_it_forbids_an_outsider_and_a_viewer(client, outsider, viewer, round):
    for user in (outsider, viewer):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(ADD, {"code": "049"}).status_code == 403
        assert client.post("/staff/rounds/testikierros/235/remove/").status_code == 403
    assert round.invitations.count() == 3


def test_it_says_404_for_a_round_that_does_not_exist(client, staff, db):
    client.force_login(staff)
    assert client.get("/staff/rounds/nope/municipalities/").status_code == 404


def test_it_lists_the_round_s_municipalities(client, staff, round):
    client.force_login(staff)
    content = client.get(URL).content.decode()
    for name in ("Kauniainen", "Raasepori", "Vihti"):
        assert name in content


def test_it_finds_municipalities_by_either_name_or_code(client, staff, round):
    client.force_login(staff)
    content = client.get(URL, {"q": "esbo"}).content.decode()
    assert '<span lang="fi">Espoo</span> / <span lang="sv">Esbo</span> (049)' in content
    assert 'name="code" value="049"' in content
    content = client.get(URL, {"q": "710"}).content.decode()
    assert "in the round" in content
    assert 'name="code" value="710"' not in content
    assert "No municipality matches “qqq”." in client.get(URL, {"q": "qqq"}).content.decode()


def test_it_says_how_many_more_match(client, staff, round):
    client.force_login(staff)
    content = client.get(URL, {"q": "a"}).content.decode()
    assert "more municipalities match: type more of the name." in content


def test_it_refuses_a_search_with_a_control_character(client, staff, round):
    client.force_login(staff)
    response = client.get(URL, {"q": "es\x01"})
    assert response.status_code == 400
    assert "cannot be saved" in response.content.decode()


def test_it_adds_a_municipality_from_the_list(client, staff, round):
    assert not Municipality.objects.filter(code="049").exists()
    client.force_login(staff)
    response = client.post(ADD, {"code": "049"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Espoo was added to the round." in response.content.decode()
    municipality = Municipality.objects.get(code="049")
    assert (municipality.name_fi, municipality.name_sv, municipality.language) == ("Espoo", "Esbo", "fi-sv")
    invitation = round.invitations.get(municipality=municipality)
    assert invitation.order == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITATION_ADD)
    assert (entry.username, entry.round_code, entry.municipality_code) == ("staff", "testikierros", "049")


def test_it_adds_a_municipality_once(client, staff, round):
    client.force_login(staff)
    response = client.post(ADD, {"code": "235"}, follow=True)
    assert "Kauniainen is already in the round." in response.content.decode()
    assert round.invitations.count() == 3
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.INVITATION_ADD).exists()


def test_it_refuses_a_code_not_on_the_list(client, staff, round):
    client.force_login(staff)
    for code in ("588", "999", "49", "abc", ""):
        response = client.post(ADD, {"code": code})
        assert response.status_code == 400
        assert b"That municipality is not on the list." in response.content
    assert round.invitations.count() == 3


def test_it_adds_nothing_to_a_closed_round(client, staff, round):
    round.closed_at = DURING_ROUND
    round.save()
    client.force_login(staff)
    response = client.post(ADD, {"code": "049"}, follow=True)
    assert "no municipality can be added" in response.content.decode()
    assert round.invitations.count() == 3


def test_it_asks_before_removing_and_names_the_municipality(client, staff, round):
    client.force_login(staff)
    content = client.get("/staff/rounds/testikierros/235/remove/").content.decode()
    assert "Remove Kauniainen from the round?" in content
    assert "1 contact person" in content
    assert round.invitations.count() == 3


def test_it_removes_a_municipality_that_has_not_answered(client, staff, round):
    client.force_login(staff)
    response = client.post("/staff/rounds/testikierros/235/remove/", follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Kauniainen was removed from the round." in response.content.decode()
    assert not round.invitations.filter(municipality__code="235").exists()
    # The municipality stays in Arvio: other rounds may point at it.
    assert Municipality.objects.filter(code="235").exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITATION_REMOVE)
    assert (entry.round_code, entry.municipality_code) == ("testikierros", "235")


def test_it_keeps_a_municipality_that_has_a_draft_or_an_answer(client, staff, round):
    draft = round.invitations.get(municipality__code="235")
    Response.objects.create(invitation=draft, draft={"ratings": {}}, draft_saved_at=DURING_ROUND, version=1)
    submit(round.invitations.get(municipality__code="710"), at=DURING_ROUND)
    client.force_login(staff)
    for code, name in (("235", "Kauniainen"), ("710", "Raasepori")):
        page = client.get(f"/staff/rounds/testikierros/{code}/remove/").content.decode()
        assert f"{name} has already saved or submitted an answer, so it stays in the round." in page
        assert f">Remove {name}</button>" not in page
        response = client.post(f"/staff/rounds/testikierros/{code}/remove/", follow=True)
        assert "stays in the round" in response.content.decode()
    assert set(Invitation.objects.values_list("municipality__code", flat=True)) == {"235", "710", "927"}
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.INVITATION_REMOVE).exists()
