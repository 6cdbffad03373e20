import re

import pytest

from arvio.invitations.models import AccessLink, Invitation
from arvio.records.models import AuditEntry
from arvio.responses.models import Response
from arvio.surveys.models import Municipality

URL = "/staff/rounds/testikierros/preview/{}/"


def test_it_sends_anonymous_to_login(client, round):
    response = client.get(URL.format("fi"))
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/")


def test_it_forbids_an_outsider(client, outsider, round):
    client.force_login(outsider)
    assert client.get(URL.format("fi")).status_code == 403


def test_it_answers_404_for_a_round_or_language_that_does_not_exist(client, staff, round):
    client.force_login(staff)
    assert client.get("/staff/rounds/ei-ole/preview/fi/").status_code == 404
    assert client.get(URL.format("de")).status_code == 404
    assert client.get(URL.format("%00")).status_code == 404


@pytest.mark.parametrize("person", ["staff", "viewer"])
def test_it_shows_the_form_as_a_municipality_sees_it(client, round, request, person):
    client.force_login(request.getfixturevalue(person))
    response = client.get(URL.format("fi"))
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fi">' in html
    assert "<h1>Kuntakysely</h1>" in html
    assert "Kyselyn tarkoituksena on koota kuntien näkemyksiä." in html
    assert re.findall(r"<legend>(.*?)</legend>", html) == [
        "Luomme selkeän yhdyspintarakenteen.",
        "Kehitämme yhteistä tietopohjaa.",
        "Asukkaat ovat mukana suunnittelussa.",
    ]
    assert "5 – Erinomaisesti" in html and "En osaa sanoa" in html
    assert "Mitä yhteistyössä pitäisi kehittää?" in html
    assert '<h2 id="s-yhteistyo">Yhteistyö on toimivaa ja tavoitteellista.</h2>' in html
    assert "0/3 arvioitu" in html


def test_it_shows_the_form_in_swedish(client, staff, round):
    client.force_login(staff)
    html = client.get(URL.format("sv")).text
    assert '<html lang="sv">' in html
    assert "<h1>Kommunenkät</h1>" in html
    assert "Vi skapar en tydlig gränsytestruktur." in html
    assert "Kan inte säga" in html
    assert "0/3 bedömda" in html


def test_it_says_nothing_is_saved_and_its_buttons_do_not_work(client, staff, round):
    client.force_login(staff)
    html = client.get(URL.format("en")).text
    assert "Preview — nothing is saved" in html
    assert "data-autosave" not in html
    buttons = re.findall(r"<button type=\"submit\"[^>]*>", html)
    form_buttons = [button for button in buttons if 'name="action"' in button or 'name="save_at"' in button]
    assert form_buttons and all("disabled" in button for button in form_buttons)
    assert 'action="/staff/rounds/testikierros/preview/en/"' in html
    assert 'href="/staff/rounds/testikierros/"' in html


def test_a_post_saves_nothing(client, staff, round):
    client.force_login(staff)
    before = (Response.objects.count(), Invitation.objects.count(), Municipality.objects.count())
    response = client.post(URL.format("fi"), {"version": "0", "action": "save", "g-osallisuus": "4"})
    assert response.status_code == 200
    assert "Tämä on esikatselu: mitään ei tallennettu." in response.text or "nothing was saved" in response.text
    assert (Response.objects.count(), Invitation.objects.count(), Municipality.objects.count()) == before
    assert not AccessLink.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_links_the_other_languages_of_the_preview(client, staff, round):
    client.force_login(staff)
    html = client.get(URL.format("fi")).text
    assert 'href="/staff/rounds/testikierros/preview/sv/" lang="sv"' in html
    assert 'href="/staff/rounds/testikierros/preview/fi/" lang="fi" hreflang="fi" aria-current="page"' in html


def test_it_is_linked_from_the_rounds_page_in_finnish_and_swedish(client, viewer, round):
    client.force_login(viewer)
    html = client.get("/staff/rounds/testikierros/").text
    assert 'href="/staff/rounds/testikierros/preview/fi/"' in html
    assert 'href="/staff/rounds/testikierros/preview/sv/"' in html


def test_it_previews_a_blank_round_without_goals(client, staff, round):
    round.nodes.all().delete()
    round.questions.all().delete()
    client.force_login(staff)
    response = client.get(URL.format("fi"))
    assert response.status_code == 200
    assert "0/0 arvioitu" in response.text
