import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.test import Client

from arvio.invitations.links import link_create, links_revoke
from arvio.invitations.models import AccessLink
from arvio.lib.dates import HELSINKI
from arvio.responses.models import LinkFailure, Response
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


# Expiry: make_round closes on 5.12.2024, so its links expire at the end of 5.3.2025 by default (90 days).
AFTER_CLOSE = datetime(2025, 3, 5, 23, 0, tzinfo=HELSINKI)
EXPIRED = datetime(2025, 3, 6, 0, 30, tzinfo=HELSINKI)


def test_it_opens_the_read_only_page_until_the_link_expires(client, during_round, token):
    during_round.move_to(AFTER_CLOSE)
    assert open_link(client, token).get("/answer/").status_code == 200


def test_it_says_in_the_municipalitys_language_that_the_link_expired(client, round, during_round):
    raasepori = round.invitations.get(municipality__code="710")
    token = link_create(invitation=raasepori)
    during_round.move_to(EXPIRED)
    response = client.get(f"/a/{token}/")
    assert response.status_code == 410
    assert 'lang="sv"' in response.text
    assert "Länken har gått ut" in response.text
    assert "5.3.2025" in response.text
    assert settings.ARVIO_FEEDBACK_EMAIL in response.text
    assert "Västra Nylands välfärdsområde" in response.text
    assert client.get("/answer/").status_code == 403
    assert not LinkFailure.objects.exists()


def test_it_says_it_in_the_language_the_respondent_chose(client, during_round, token):
    during_round.move_to(EXPIRED)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/a/{token}/")
    assert response.status_code == 410
    assert "could be used until 5.3.2025, 90 days after the survey closed" in response.text


def test_it_counts_the_days_from_the_extended_deadline(client, during_round, token, kauniainen):
    kauniainen.deadline_extended_to = date(2024, 12, 15)
    kauniainen.save()
    during_round.move_to(EXPIRED)
    assert client.get(f"/a/{token}/").status_code == 302


def test_it_counts_the_days_from_an_early_close(client, during_round, token, round, settings):
    settings.ARVIO_LINK_DAYS_AFTER_CLOSE = 10
    round.closed_at = DURING_ROUND
    round.save()
    during_round.move_to(DURING_ROUND + timedelta(days=10, minutes=1))
    assert client.get(f"/a/{token}/").status_code == 410


def test_it_ends_a_session_when_its_link_expires(client, during_round, kauniainen):
    link = link_create(invitation=kauniainen)
    during_round.move_to(AFTER_CLOSE)  # an hour before the link expires: sessions last 12 hours
    kaisa = open_link(client, link)
    during_round.move_to(EXPIRED)
    response = kaisa.get("/answer/")
    assert response.status_code == 410
    assert "The link has expired" in response.text
    autosave = kaisa.post("/answer/", answers(0, g_osallisuus="4"), headers={"X-Requested-With": "fetch"})
    assert autosave.status_code == 403
    assert not Response.objects.exists()


def test_it_answers_autosave_with_json_when_the_link_expires(client, during_round, kauniainen):
    link = link_create(invitation=kauniainen)
    during_round.move_to(AFTER_CLOSE)  # an hour before the link expires: sessions last 12 hours
    kaisa = open_link(client, link)
    during_round.move_to(EXPIRED)
    response = kaisa.post("/answer/", answers(0, g_osallisuus="4"), headers={"X-Requested-With": "fetch"})
    assert response.status_code == 410
    assert "5.3.2025" in response.json()["message"]
    assert not Response.objects.exists()


def test_it_gives_a_link_reissued_after_the_expiry_as_many_days_from_its_issue(client, during_round, token, kauniainen):
    during_round.move_to(EXPIRED)
    reissued = link_create(invitation=kauniainen, by=None)
    assert client.get(f"/a/{token}/").status_code == 410
    response = open_link(Client(), reissued).get("/answer/")
    assert response.status_code == 200
    assert "answer/review" not in response.text  # the read-only page: the round is closed

    during_round.move_to(EXPIRED + timedelta(days=90, minutes=1))
    assert Client().get(f"/a/{reissued}/").status_code == 410


# Throttle: ARVIO_LINK_FAILURE_LIMIT wrong tokens in ARVIO_LINK_COOLOFF_MINUTES from one address.


def _wrong(client, address="198.51.100.7", **headers):
    return client.get(f"/a/{secrets.token_urlsafe(32)}/", REMOTE_ADDR=address, **headers)


def test_it_throttles_an_address_after_too_many_wrong_tokens(client, during_round, token, settings):
    for _ in range(settings.ARVIO_LINK_FAILURE_LIMIT):
        assert _wrong(client).status_code == 404
    response = _wrong(client, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 429
    assert 'lang="sv"' in response.text
    assert "För många felaktiga länkar" in response.text
    assert "20.11.2024 12.49" in response.text  # 15 minutes after the failures
    assert int(response["Retry-After"]) == 15 * 60 + 1
    assert settings.ARVIO_FEEDBACK_EMAIL in response.text

    # A right token from that address waits too; from another address it opens.
    assert client.get(f"/a/{token}/", REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.get("/answer/").status_code == 403
    assert Client().get(f"/a/{token}/", REMOTE_ADDR="203.0.113.9").status_code == 302


def test_it_lets_the_address_try_again_after_the_cooloff(client, during_round, token, settings):
    for _ in range(settings.ARVIO_LINK_FAILURE_LIMIT):
        _wrong(client)
    during_round.shift(15 * 60 - 1)
    assert client.get(f"/a/{token}/", REMOTE_ADDR="198.51.100.7").status_code == 429
    during_round.shift(2)
    assert client.get(f"/a/{token}/", REMOTE_ADDR="198.51.100.7").status_code == 302
    # The failures that no longer count are forgotten (an address is personal data).
    _wrong(client)
    assert LinkFailure.objects.count() == 1


def test_it_does_not_count_revoked_or_expired_links(client, during_round, token, kauniainen, settings):
    second = link_create(invitation=kauniainen)
    links_revoke(invitation=kauniainen)
    for _ in range(settings.ARVIO_LINK_FAILURE_LIMIT + 1):
        assert client.get(f"/a/{token}/").status_code == 404
    during_round.move_to(EXPIRED)
    unrevoked = link_create(invitation=kauniainen)
    during_round.move_to(EXPIRED + timedelta(days=91))
    for _ in range(settings.ARVIO_LINK_FAILURE_LIMIT + 1):
        assert client.get(f"/a/{unrevoked}/").status_code == 410
    assert client.get(f"/a/{second}/").status_code == 404
    assert not LinkFailure.objects.exists()


def test_it_counts_by_the_address_past_the_proxies(client, during_round, token, settings):
    settings.ARVIO_PROXY_COUNT = 1
    for number in range(settings.ARVIO_LINK_FAILURE_LIMIT):
        _wrong(client, address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 198.51.100.7")
    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    assert client.get(f"/a/{token}/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxied).status_code == 429
    assert client.get(f"/a/{token}/", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxied).status_code == 302
