"""The excerpt's language and its translation, edited on the excerpt's page (curation.excerpt_edit)."""

import pytest

from arvio.results.models import Excerpt
from arvio.results.report import report_build
from arvio.results.services import excerpt_create
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db

URL = "/staff/rounds/testikierros/curation/excerpts/"

PASSAGE = "Tiedonkulku on ollut hidasta."
TRANSLATION = "Informationen har gått långsamt."


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def answers(round):
    """Kauniainen (Finnish-speaking) and Raasepori (Swedish-speaking) have submitted open answers."""
    kauniainen, raasepori, _vihti = round.invitations.all()
    submit(kauniainen, at=DURING_ROUND, comments={"kehittaminen": "Yhteistyö on parantunut. " + PASSAGE})
    submit(raasepori, at=DURING_ROUND, comments={"kehittaminen": "Tjänsterna på svenska måste tryggas i hela området."})
    return {invitation.municipality.name_fi: invitation.response for invitation in (kauniainen, raasepori)}


def make_excerpt(round, response, text):
    return excerpt_create(
        round=round, response=response, question=round.questions.get(code="kehittaminen"), text=text, by=None
    )


def test_it_saves_the_language_and_the_translation_and_shows_it_in_the_other_languages_report(
    client, staff, round, answers
):
    client.force_login(staff)
    excerpt = make_excerpt(round, answers["Kauniainen"], PASSAGE)

    page = client.get(f"{URL}{excerpt.pk}/").content.decode()
    response = client.post(f"{URL}{excerpt.pk}/", {"text": PASSAGE, "language": "fi", "translation": TRANSLATION})

    assert "Language of the passage" in page and "Translation (optional)" in page
    assert response.status_code == 302
    excerpt.refresh_from_db()
    assert (excerpt.language, excerpt.translation) == ("fi", TRANSLATION)
    swedish = report_build(round, language="sv").excerpts
    finnish = report_build(round, language="fi").excerpts
    assert [(item.text, item.language, item.translation) for item in swedish] == [(PASSAGE, "fi", TRANSLATION)]
    assert [(item.text, item.language, item.translation) for item in finnish] == [(PASSAGE, "fi", "")]
    again = client.get(f"{URL}{excerpt.pk}/").content.decode()
    assert f">{TRANSLATION}</textarea>" in again
    assert '<option value="fi" selected>' in again


def test_it_takes_the_municipalitys_language_when_none_is_chosen(client, staff, round, answers):
    client.force_login(staff)
    excerpt = make_excerpt(round, answers["Raasepori"], "Tjänsterna på svenska måste tryggas i hela området.")

    client.post(f"{URL}{excerpt.pk}/", {"text": excerpt.text, "language": "", "translation": "Palvelut ruotsiksi."})

    municipality = answers["Raasepori"].invitation.municipality
    [finnish] = report_build(round, language="fi").excerpts
    assert finnish.language == municipality.primary_language == "sv"
    assert finnish.translation == "Palvelut ruotsiksi."


def test_it_refuses_a_language_it_does_not_know_and_keeps_what_was_saved(client, staff, round, answers):
    client.force_login(staff)
    excerpt = make_excerpt(round, answers["Kauniainen"], PASSAGE)
    Excerpt.objects.filter(pk=excerpt.pk).update(translation=TRANSLATION)

    response = client.post(f"{URL}{excerpt.pk}/", {"text": PASSAGE, "language": "de", "translation": ""})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    excerpt.refresh_from_db()
    assert (excerpt.language, excerpt.translation) == ("", TRANSLATION)


def test_an_outsider_is_refused_and_nothing_changes(client, outsider, round, answers):
    client.force_login(outsider)
    excerpt = make_excerpt(round, answers["Kauniainen"], PASSAGE)

    response = client.post(f"{URL}{excerpt.pk}/", {"text": PASSAGE, "language": "sv", "translation": "x"})

    assert response.status_code == 403  # logged in, in no organizer: the curation pages refuse (403)
    excerpt.refresh_from_db()
    assert (excerpt.language, excerpt.translation) == ("", "")
