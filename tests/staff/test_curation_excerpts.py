"""The excerpts page: staff read every submitted open answer and choose, shorten, order and remove passages."""

import re

import pytest

from arvio.results.models import Excerpt
from arvio.results.services import excerpt_create
from tests.factories import make_round
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db

URL = "/staff/rounds/testikierros/curation/excerpts/"
KAUNIAINEN = "Yhteistyörakenteet ja yhteiskehittäminen.\n\nTiedonkulku on ollut hidasta."
RAASEPORI = "Tjänsterna på svenska måste tryggas i hela området."


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages in English, so that assertions do not depend on the Finnish catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def answers(round):
    """Kauniainen and Raasepori have submitted open answers; Vihti has a draft only."""
    kauniainen, raasepori, vihti = round.invitations.all()
    submit(kauniainen, at=DURING_ROUND, comments={"kehittaminen": KAUNIAINEN, "muuta": "Kiitos."})
    submit(raasepori, at=DURING_ROUND, comments={"kehittaminen": RAASEPORI})
    draft = submit(vihti, at=DURING_ROUND, comments={"kehittaminen": "Luonnos, jota ei lähetetty."})
    draft.submitted_at = None
    draft.save()
    return {invitation.municipality.name_fi: invitation.response for invitation in (kauniainen, raasepori)}


def comment_of(response, question="kehittaminen"):
    return response.comments.get(question__code=question)


def make_excerpt(round, response, text, question="kehittaminen"):
    return excerpt_create(
        round=round, response=response, question=round.questions.get(code=question), text=text, by=None
    )


def urls(excerpt) -> list[str]:
    return [URL, f"{URL}{excerpt.pk}/", f"{URL}{excerpt.pk}/move/", f"{URL}{excerpt.pk}/delete/"]


def test_it_sends_anonymous_to_login(client, round, answers):
    excerpt = make_excerpt(round, answers["Kauniainen"], "Tiedonkulku")

    for url in urls(excerpt):
        for response in (client.get(url), client.post(url, {"direction": "up"})):
            assert response.status_code == 302
            assert response.url.startswith("/staff/login/?next=")
    assert Excerpt.objects.get().text == "Tiedonkulku"


@pytest.mark.parametrize("person", ["viewer", "outsider"])
def test_it_forbids_everybody_but_evaluation_staff(client, round, answers, request, person):
    excerpt = make_excerpt(round, answers["Kauniainen"], "Tiedonkulku")
    client.force_login(request.getfixturevalue(person))

    for url in urls(excerpt):
        assert client.get(url).status_code == (405 if url.endswith("/move/") else 403), url
    assert client.post(URL, {"comment": comment_of(answers["Raasepori"]).pk, "text": RAASEPORI}).status_code == 403
    assert client.post(f"{URL}{excerpt.pk}/move/", {"direction": "up"}).status_code == 403
    assert client.post(f"{URL}{excerpt.pk}/", {"text": "Tiedonkulku on"}).status_code == 403
    assert client.post(f"{URL}{excerpt.pk}/delete/").status_code == 403
    assert list(Excerpt.objects.values_list("text", flat=True)) == ["Tiedonkulku"]


def test_it_lists_every_submitted_open_answer_by_question_with_its_municipality(client, staff, round, answers):
    client.force_login(staff)

    response = client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    first, second = content.index("Mitä yhteistyössä pitäisi kehittää?"), content.index("Muuta palautetta")
    assert first < content.index('<h4 id="answer-') < second
    for municipality, question, text in [
        ("Kauniainen", "kehittaminen", KAUNIAINEN),
        ("Raasepori", "kehittaminen", RAASEPORI),
        ("Kauniainen", "muuta", "Kiitos."),
    ]:
        comment = comment_of(answers[municipality], question)
        article = re.search(rf'<article[^>]* id="answer-{comment.pk}".*?</article>', content, re.S).group()
        assert f">{municipality}</h4>" in article
        # The form starts with the whole answer, to shorten.
        assert f">{text}</textarea>" in article
        assert f'name="comment" value="{comment.pk}"' in article
    assert content.index(">Kauniainen</h4>") < content.index(">Raasepori</h4>") < second
    assert "Luonnos, jota ei lähetetty." not in content
    assert "No excerpts have been chosen yet." in content


def test_it_offers_the_goals_of_the_round_as_checkboxes(client, staff, round, answers):
    client.force_login(staff)
    comment = comment_of(answers["Raasepori"])

    content = client.get(URL).content.decode()

    for node in round.nodes.all():
        box = f'id="id_answer-{comment.pk}-goals-{node.pk}"'
        assert box in content
        assert f'<label for="id_answer-{comment.pk}-goals-{node.pk}">' in content
    assert ">yhteistyön tavoitteellisuus</label>" in content


def test_it_adds_a_shortened_passage_with_its_goals_last_in_the_order(client, staff, round, answers):
    client.force_login(staff)
    make_excerpt(round, answers["Raasepori"], RAASEPORI)
    comment = comment_of(answers["Kauniainen"])
    goal = round.nodes.get(code="osallisuus")

    response = client.post(
        URL,
        {
            "comment": comment.pk,
            f"answer-{comment.pk}-text": "Yhteistyörakenteet - - Tiedonkulku on ollut hidasta.",
            f"answer-{comment.pk}-goals": [goal.pk],
        },
    )

    excerpt = Excerpt.objects.get(response=answers["Kauniainen"])
    assert response.status_code == 302
    assert response.url == f"{URL}#excerpt-{excerpt.pk}"
    assert (excerpt.text, excerpt.question.code, excerpt.order, excerpt.created_by) == (
        "Yhteistyörakenteet - - Tiedonkulku on ollut hidasta.",
        "kehittaminen",
        2,
        staff,
    )
    assert list(excerpt.goals.all()) == [goal]
    page = client.get(URL).content.decode()
    assert "The excerpt from Kauniainen was added to the report." in page
    assert page.index("<blockquote><p>Tjänsterna") < page.index("<blockquote><p>Yhteistyörakenteet - -")
    assert "Goals: osallisuus" in page


def test_it_refuses_a_passage_that_is_not_the_answers_own_words(client, staff, round, answers):
    client.force_login(staff)
    comment = comment_of(answers["Kauniainen"])

    response = client.post(
        URL,
        {
            "comment": comment.pk,
            f"answer-{comment.pk}-text": "Yhteistyörakenteet ovat erinomaiset.",
        },
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert not Excerpt.objects.exists()
    summary = re.search(r'<div class="error-summary".*?</div>', content, re.S).group()
    assert f'href="#id_answer-{comment.pk}-text"' in summary
    assert "These words are not in the answer: “Yhteistyörakenteet ovat erinomaiset.”" in summary
    textarea = re.search(rf'<textarea name="answer-{comment.pk}-text".*?</textarea>', content, re.S).group()
    assert 'aria-invalid="true"' in textarea
    assert f'aria-describedby="id_answer-{comment.pk}-text-hint id_answer-{comment.pk}-text-error"' in textarea
    assert ">Yhteistyörakenteet ovat erinomaiset.</textarea>" in textarea
    # The other answers' forms start afresh, and the failed one is open.
    assert f">{RAASEPORI}</textarea>" in content
    assert content.count('<details class="quote-form" open>') == 1


def test_it_refuses_an_empty_passage(client, staff, round, answers):
    client.force_login(staff)
    comment = comment_of(answers["Kauniainen"])

    response = client.post(URL, {"comment": comment.pk, f"answer-{comment.pk}-text": "  "})

    assert response.status_code == 400
    assert "Write the passage: the words of the answer to quote." in response.content.decode()
    assert not Excerpt.objects.exists()


@pytest.mark.parametrize("comment", ["", "abc", "999999"])
def test_it_answers_404_for_an_answer_it_does_not_list(client, staff, round, answers, comment):
    client.force_login(staff)

    response = client.post(URL, {"comment": comment, f"answer-{comment}-text": "Tiedonkulku"})

    assert response.status_code == 404
    assert not Excerpt.objects.exists()


def test_it_does_not_take_answers_of_another_round_or_drafts(client, staff, round, answers):
    client.force_login(staff)
    other = make_round("toinen", municipalities=[("444", "Lohja", "Lojo", "fi-sv")])
    elsewhere = submit(other.invitations.get(), at=DURING_ROUND, comments={"kehittaminen": "Tiedonkulku"})
    draft = round.invitations.get(municipality__code="927").response
    for comment in (elsewhere.comments.get(), draft.comments.get()):
        response = client.post(URL, {"comment": comment.pk, f"answer-{comment.pk}-text": comment.text})

        assert response.status_code == 404
    assert not Excerpt.objects.exists()


def test_it_moves_an_excerpt_up_and_down(client, staff, round, answers):
    client.force_login(staff)
    a = make_excerpt(round, answers["Kauniainen"], "Yhteistyörakenteet")
    b = make_excerpt(round, answers["Raasepori"], RAASEPORI)

    up = client.post(f"{URL}{b.pk}/move/", {"direction": "up"})
    assert [e.pk for e in round.excerpts.all()] == [b.pk, a.pk]
    client.post(f"{URL}{b.pk}/move/", {"direction": "down"})

    assert up.status_code == 302 and up.url == f"{URL}#excerpt-{b.pk}"
    assert [e.pk for e in round.excerpts.all()] == [a.pk, b.pk]
    assert client.get(f"{URL}{b.pk}/move/").status_code == 405


def test_it_offers_to_move_each_excerpt_only_where_it_can_go(client, staff, round, answers):
    client.force_login(staff)
    make_excerpt(round, answers["Kauniainen"], "Yhteistyörakenteet")
    make_excerpt(round, answers["Raasepori"], RAASEPORI)

    content = client.get(URL).content.decode()

    assert content.count('name="direction" value="up"') == 1
    assert content.count('name="direction" value="down"') == 1
    assert '<span class="visually-hidden">: excerpt 2, Raasepori</span>' in content


def test_it_edits_a_passage_and_its_goals(client, staff, round, answers):
    client.force_login(staff)
    excerpt = make_excerpt(round, answers["Kauniainen"], "Yhteistyörakenteet ja yhteiskehittäminen.")
    goal = round.nodes.get(code="yhteistyo")

    page = client.get(f"{URL}{excerpt.pk}/").content.decode()
    response = client.post(f"{URL}{excerpt.pk}/", {"text": "Yhteistyörakenteet - - hidasta.", "goals": [goal.pk]})

    assert "Edit the excerpt from Kauniainen" in page
    assert ">Yhteistyörakenteet ja yhteiskehittäminen.</textarea>" in page
    assert "<p>Tiedonkulku on ollut hidasta.</p>" in page  # the full answer, to compare
    assert response.status_code == 302 and response.url == f"{URL}#excerpt-{excerpt.pk}"
    excerpt.refresh_from_db()
    assert excerpt.text == "Yhteistyörakenteet - - hidasta."
    assert list(excerpt.goals.all()) == [goal]
    checked = client.get(f"{URL}{excerpt.pk}/").content.decode()
    assert re.search(rf'value="{goal.pk}" id="id_goals-{goal.pk}" checked>', checked)


def test_it_refuses_an_edit_that_alters_the_answers_words(client, staff, round, answers):
    client.force_login(staff)
    excerpt = make_excerpt(round, answers["Kauniainen"], "Tiedonkulku on ollut hidasta.")

    response = client.post(f"{URL}{excerpt.pk}/", {"text": "Tiedonkulku on ollut nopeaa."})

    assert response.status_code == 400
    content = response.content.decode()
    assert "The excerpt was not saved" in content
    assert "These words are not in the answer: “Tiedonkulku on ollut nopeaa.”" in content
    excerpt.refresh_from_db()
    assert excerpt.text == "Tiedonkulku on ollut hidasta."


def test_it_asks_before_removing_an_excerpt_and_keeps_the_answer(client, staff, round, answers):
    client.force_login(staff)
    excerpt = make_excerpt(round, answers["Kauniainen"], "Tiedonkulku on ollut hidasta.")

    confirm = client.get(f"{URL}{excerpt.pk}/delete/")
    assert Excerpt.objects.exists()
    response = client.post(f"{URL}{excerpt.pk}/delete/", follow=True)

    assert "Remove the excerpt from Kauniainen?" in confirm.content.decode()
    assert response.redirect_chain == [(f"{URL}#chosen", 302)]
    assert "The excerpt was removed from the report. The answer itself is kept." in response.content.decode()
    assert not Excerpt.objects.exists()
    assert comment_of(answers["Kauniainen"]).text == KAUNIAINEN


def test_it_answers_404_for_an_excerpt_of_another_round(client, staff, round, answers):
    client.force_login(staff)
    other = make_round("toinen", municipalities=[("444", "Lohja", "Lojo", "fi-sv")])
    response = submit(other.invitations.get(), at=DURING_ROUND, comments={"kehittaminen": "Tiedonkulku"})
    excerpt = make_excerpt(other, response, "Tiedonkulku")

    for url in urls(excerpt)[1:]:
        assert client.post(url, {"text": "Tiedonkulku", "direction": "up"}).status_code == 404
    assert Excerpt.objects.get().text == "Tiedonkulku"


def test_it_flags_an_excerpt_whose_answer_changed_after_it_was_chosen(client, staff, round, answers):
    client.force_login(staff)
    make_excerpt(round, answers["Kauniainen"], "Tiedonkulku on ollut hidasta.")
    comment = comment_of(answers["Kauniainen"])
    comment.text = "Tiedonkulku on parantunut."
    comment.save()

    content = client.get(URL).content.decode()

    assert "The answer has changed since this passage was chosen." in content
    assert "These words are not in the answer: “Tiedonkulku on ollut hidasta.”" in content
