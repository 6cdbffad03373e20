import hashlib

from django.conf import settings
from django.test import Client

from arvio.invitations.links import link_create, links_revoke
from arvio.invitations.models import AccessLink
from arvio.responses.models import Response
from tests.responses.conftest import DURING_ROUND, answers, open_link


def test_it_stores_only_the_hash_of_the_token(token, kauniainen):
    link = AccessLink.objects.get(invitation=kauniainen)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = AccessLink.objects.values_list("token_hash", flat=True)
    assert token not in stored
    assert not AccessLink.objects.filter(token_hash__contains=token).exists()


def test_it_redirects_to_the_answer_page_without_the_token(client, token, during_round):
    response = client.get(f"/a/{token}/")
    assert response.status_code == 302
    assert response["Location"] == "/answer/"
    assert client.get("/answer/").status_code == 200


def test_it_records_the_first_opening_only(client, token, kauniainen, during_round):
    open_link(client, token)
    kauniainen.refresh_from_db()
    assert kauniainen.opened_at == DURING_ROUND

    during_round.shift(3600)
    open_link(Client(), token)
    kauniainen.refresh_from_db()
    assert kauniainen.opened_at == DURING_ROUND


def test_it_sets_the_language_to_the_municipalitys_majority_language(client, round, during_round):
    raasepori = round.invitations.get(municipality__code="710")
    response = client.get(f"/a/{link_create(invitation=raasepori)}/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert 'lang="sv"' in client.get("/answer/").text

    vihti = round.invitations.get(municipality__code="927")
    response = Client().get(f"/a/{link_create(invitation=vihti)}/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fi"


def test_it_keeps_a_language_the_user_chose(client, token, during_round):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/a/{token}/")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert 'lang="en"' in client.get("/answer/").text


def test_it_gives_a_new_session_key(client, token, during_round):
    client.get("/accessibility/")
    client.session.save()
    before = client.session.session_key
    client.get(f"/a/{token}/")
    assert client.session.session_key != before


def test_it_refuses_a_wrong_token(client, token, during_round):
    response = client.get(f"/a/{token[:-2]}xx/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 404
    assert 'lang="sv"' in response.text
    assert settings.ARVIO_FEEDBACK_EMAIL in response.text
    assert client.get("/answer/").status_code == 403


def test_it_refuses_a_revoked_token_and_accepts_the_new_one(client, token, kauniainen, during_round):
    links_revoke(invitation=kauniainen)
    new_token = link_create(invitation=kauniainen)
    assert client.get(f"/a/{token}/").status_code == 404
    assert client.get("/answer/").status_code == 403
    assert client.get(f"/a/{new_token}/").status_code == 302
    assert client.get("/answer/").status_code == 200


def test_it_ends_the_sessions_opened_with_a_reissued_link(kaisa, kauniainen):
    assert kaisa.get("/answer/").status_code == 200
    links_revoke(invitation=kauniainen)

    response = kaisa.get("/answer/")
    assert response.status_code == 403
    assert "The link is not valid" in response.text
    assert kaisa.post("/answer/", answers(0, g_osallisuus="4")).status_code == 403
    assert not Response.objects.exists()


def test_it_answers_autosave_with_json_once_the_link_is_reissued(kaisa, kauniainen):
    links_revoke(invitation=kauniainen)
    response = kaisa.post("/answer/", answers(0, g_osallisuus="4"), headers={"X-Requested-With": "fetch"})
    assert response.status_code == 403
    assert "message" in response.json()


def test_it_refuses_the_answer_pages_to_the_outsider(client, outsider, round):
    client.force_login(outsider)
    for path in ("/answer/", "/answer/review/", "/answer/done/"):
        assert client.get(path).status_code == 403
    assert client.post("/answer/submit/", {"version": "1", "name": "Olli"}).status_code == 403


def test_it_shows_each_municipality_only_its_own_draft(kaisa, round, during_round):
    assert kaisa.post("/answer/", answers(0, q_muuta="Kauniaisten luonnos")).status_code == 302
    raasepori = round.invitations.get(municipality__code="710")
    rasmus = open_link(Client(), link_create(invitation=raasepori))

    page = rasmus.get("/answer/")
    assert "Raasepori" in page.text
    assert "Kauniaisten luonnos" not in page.text
    assert "Kauniaisten luonnos" in kaisa.get("/answer/").text
