from django.test import Client

from arvio.invitations.links import links_revoke
from arvio.responses.access import SESSION_KEY

PAGES = ("/answer/", "/answer/review/", "/answer/done/")


def test_it_answers_every_page_of_a_session_without_a_link_with_403(round):
    client = Client(headers={"Accept-Language": "en"})
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 403
        assert "The link is not valid" in response.text
    assert client.post("/answer/submit/", {"version": "1", "name": "Olli"}).status_code == 403


def test_it_answers_the_answer_forms_script_in_json(round):
    client = Client(headers={"Accept": "application/json", "Accept-Language": "en"})
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 403
        assert response.json()["message"] == "This link is no longer valid. Open the link in your latest email."


def test_it_forgets_a_revoked_link(kaisa, kauniainen):
    assert SESSION_KEY in kaisa.session
    links_revoke(invitation=kauniainen)
    assert kaisa.get("/answer/review/").status_code == 403
    assert SESSION_KEY not in kaisa.session
