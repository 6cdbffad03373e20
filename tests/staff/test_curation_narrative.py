"""The narrative page: staff edit the summary page's text per language, or go back to the draft."""

import re

import pytest

from arvio.results.models import Narrative
from arvio.results.report import report_build
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db

URL = "/staff/rounds/testikierros/curation/narrative/{}/"
FI, SV = URL.format("fi"), URL.format("sv")
OUTDATED = "The numbers have changed since this text was edited: it may no longer match them."


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages in English, so that assertions do not depend on the Finnish catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def answered(round):
    kauniainen, raasepori, _vihti = round.invitations.all()
    values = {"yhteistyo-1": 4, "yhteistyo-2": 3, "osallisuus": 2}
    submit(kauniainen, at=DURING_ROUND, values=values)
    submit(raasepori, at=DURING_ROUND, values=values | {"osallisuus": 1})
    return round


def textarea(content: str) -> str:
    return re.search(r'<textarea name="text".*?>(.*?)</textarea>', content, re.S).group(1)


def test_it_sends_anonymous_to_login(client, answered):
    for response in (client.get(FI), client.post(FI, {"text": "Uusi.", "action": "save"})):
        assert response.status_code == 302
        assert response.url.startswith("/staff/login/?next=")
    assert not Narrative.objects.exists()


@pytest.mark.parametrize("person", ["viewer", "outsider"])
def test_it_forbids_everybody_but_evaluation_staff(client, answered, request, person, staff):
    client.force_login(staff)
    client.post(SV, {"text": "Svenska.", "action": "save"})
    client.force_login(request.getfixturevalue(person))

    assert client.get(FI).status_code == 403
    assert client.post(FI, {"text": "Uusi.", "action": "save"}).status_code == 403
    assert client.post(SV, {"action": "reset"}).status_code == 403
    assert list(Narrative.objects.values_list("language", "text")) == [("sv", "Svenska.")]


def test_it_shows_the_draft_and_offers_it_for_editing(client, staff, answered):
    client.force_login(staff)

    response = client.get(FI)

    content = response.content.decode()
    draft = report_build(answered, language="fi").narrative_drafted
    assert response.status_code == 200
    assert draft.startswith("Vastaajakunnat arvioivat strategisissa yhteistyötavoitteissa etenemisen keskimäärin")
    assert textarea(content) == draft
    assert 'lang="fi"' in re.search(r"<textarea.*?>", content, re.S).group()
    assert "Not edited: the report uses the draft from the numbers." in content
    assert 'value="reset"' not in content
    assert OUTDATED not in content
    assert re.search(r'name="numbers" value="[0-9a-f]{64}"', content)


def test_it_links_the_three_languages_and_marks_the_current_one(client, staff, answered):
    client.force_login(staff)

    content = client.get(SV).content.decode()

    for code in ("fi", "sv", "en"):
        assert f'href="{URL.format(code)}" lang="{code}"' in content
    assert f'href="{SV}" lang="sv" aria-current="page"' in content
    assert textarea(content).startswith("De svarande kommunerna bedömde")


def test_it_answers_404_for_a_language_arvio_does_not_have(client, staff, answered):
    client.force_login(staff)

    assert client.get(URL.format("de")).status_code == 404
    assert client.post(URL.format("de"), {"text": "Deutsch.", "action": "save"}).status_code == 404
    assert not Narrative.objects.exists()


def test_it_saves_the_text_for_the_report(client, staff, answered):
    client.force_login(staff)
    numbers = report_build(answered, language="fi").narrative_numbers

    response = client.post(
        FI, {"text": "Kunnat arvioivat yhteistyön\r\n\r\nhyväksi.", "action": "save", "numbers": numbers}, follow=True
    )

    assert response.redirect_chain == [(FI, 302)]
    content = response.content.decode()
    assert "The text was saved. The report uses it from now on." in content
    assert "The report uses the text below, last edited by staff on" in content
    assert textarea(content) == "Kunnat arvioivat yhteistyön\n\nhyväksi."
    assert 'value="reset"' in content
    narrative = Narrative.objects.get()
    assert (narrative.language, narrative.edited_by, narrative.numbers) == ("fi", staff, numbers)
    assert report_build(answered, language="fi").narrative == "Kunnat arvioivat yhteistyön\n\nhyväksi."
    assert report_build(answered, language="sv").narrative_edited is False


def test_it_refuses_an_empty_text(client, staff, answered):
    client.force_login(staff)

    response = client.post(FI, {"text": "   ", "action": "save"})

    content = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', content, re.S).group()
    assert "The text was not saved" in summary
    assert 'href="#id_text"' in summary and "Write the text, or go back to the draft from the numbers." in summary
    assert 'aria-invalid="true"' in re.search(r"<textarea.*?>", content, re.S).group()
    assert not Narrative.objects.exists()


def test_it_goes_back_to_the_draft(client, staff, answered):
    client.force_login(staff)
    client.post(FI, {"text": "Oma teksti.", "action": "save"})
    client.post(SV, {"text": "Egen text.", "action": "save"})

    response = client.post(FI, {"text": "ignored", "action": "reset"}, follow=True)

    content = response.content.decode()
    assert response.redirect_chain == [(FI, 302)]
    assert "The text is back to the draft from the numbers." in content
    assert textarea(content) == report_build(answered, language="fi").narrative_drafted
    assert list(Narrative.objects.values_list("language", flat=True)) == ["sv"]


def test_it_warns_when_the_numbers_changed_after_the_text_was_edited(client, staff, answered):
    client.force_login(staff)
    client.post(FI, {"text": "Oma teksti.", "action": "save"})
    assert OUTDATED not in client.get(FI).content.decode()

    submit(answered.invitations.get(municipality__code="927"), at=DURING_ROUND, values={"osallisuus": 5})

    content = client.get(FI).content.decode()
    assert OUTDATED in content
    assert textarea(content) == "Oma teksti."
    # Saved again against the new numbers, the text is current.
    client.post(FI, {"text": "Oma teksti.", "action": "save"})
    assert OUTDATED not in client.get(FI).content.decode()


def test_it_keeps_the_numbers_the_editor_saw_when_they_change_while_editing(client, staff, answered):
    client.force_login(staff)
    seen = re.search(r'name="numbers" value="([0-9a-f]{64})"', client.get(FI).content.decode()).group(1)
    submit(answered.invitations.get(municipality__code="927"), at=DURING_ROUND, values={"osallisuus": 5})

    response = client.post(FI, {"text": "Kirjoitettu vanhoista luvuista.", "action": "save", "numbers": seen})

    assert response.status_code == 302
    assert OUTDATED in client.get(FI).content.decode()
