"""Curation services: excerpts that quote the municipality's own words, their order, and the narrative."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from arvio.results.models import Excerpt, Narrative
from arvio.results.report import report_build
from arvio.results.services import (
    excerpt_create,
    excerpt_delete,
    excerpt_move,
    excerpt_update,
    narrative_reset,
    narrative_save,
    passage_problem,
)
from tests.factories import make_round
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db

ANSWER = (
    "Yhteistyörakenteet ja yhteiskehittäminen, erityisesti lasten, nuorten ja perheiden palveluissa.\n\n"
    "Sijaishuollon ja sivistystoimen yhteistyöhön tarvitaan sovitut käytännöt. Tiedonkulku on\n"
    "ollut hidasta."
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, the language of the message ids."""
    with translation.override("en"):
        yield


@pytest.fixture
def answered(round):
    """Kauniainen has submitted an answer to the first question; Raasepori has only a draft."""
    kauniainen, raasepori, _vihti = round.invitations.all()
    response = submit(kauniainen, at=DURING_ROUND, values={"osallisuus": 3}, comments={"kehittaminen": ANSWER})
    submit(raasepori, at=DURING_ROUND, comments={"kehittaminen": "Svenska tjänster."})
    raasepori.response.submitted_at = None
    raasepori.response.save()
    return response


def question(round, code="kehittaminen"):
    return round.questions.get(code=code)


def create(round, response, text, **kwargs):
    return excerpt_create(round=round, response=response, question=question(round), text=text, by=None, **kwargs)


def message_of(caught) -> str:
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "passage",
    [
        ANSWER,
        "Sijaishuollon ja sivistystoimen yhteistyöhön tarvitaan sovitut käytännöt.",
        # Line breaks and spaces as the editor likes them.
        "Sijaishuollon ja sivistystoimen yhteistyöhön tarvitaan sovitut käytännöt. Tiedonkulku on ollut hidasta.",
        "Yhteistyörakenteet ja yhteiskehittäminen - - Tiedonkulku on ollut hidasta.",
        "- - erityisesti lasten, nuorten ja perheiden palveluissa. - -",
        "Yhteistyörakenteet – – sovitut käytännöt.",
    ],
)
def test_it_accepts_the_answers_own_words_shortened_with_omissions(passage):
    assert passage_problem(passage, ANSWER) is None


def test_it_refuses_words_that_are_not_in_the_answer():
    problem = passage_problem("Yhteistyörakenteet ja yhteiskehittäminen ovat erinomaisia.", ANSWER)

    assert problem == (
        "The passage must quote the answer word for word, leaving things out only with “- -”. "
        "These words are not in the answer: “Yhteistyörakenteet ja yhteiskehittäminen ovat erinomaisia.”"
    )


def test_it_refuses_a_word_changed_between_omissions():
    problem = passage_problem("Yhteistyörakenteet - - Tiedonkulku on ollut nopeaa.", ANSWER)

    assert problem.endswith("These words are not in the answer: “Tiedonkulku on ollut nopeaa.”")


def test_it_refuses_pieces_out_of_the_answers_order():
    problem = passage_problem("Tiedonkulku on ollut hidasta. - - Yhteistyörakenteet", ANSWER)

    assert problem == (
        "The parts of the passage must keep the order of the answer: “Yhteistyörakenteet” comes earlier in it."
    )


def test_it_refuses_an_empty_passage():
    assert passage_problem("  - -  ", ANSWER) == "Write the passage: the words of the answer to quote."


def test_it_shortens_a_long_piece_it_quotes_back():
    problem = passage_problem("Keksitty " * 30, ANSWER)

    assert problem.endswith("…”")
    assert len(problem) < 250


def test_it_creates_excerpts_in_order_with_their_goals(round, answered):
    goal = round.nodes.get(code="yhteistyo")

    first = create(round, answered, "Yhteistyörakenteet ja yhteiskehittäminen - -", goals=[goal])
    second = create(round, answered, "Tiedonkulku on\r\nollut hidasta.  ")

    assert [(e.pk, e.order) for e in round.excerpts.all()] == [(first.pk, 1), (second.pk, 2)]
    assert list(first.goals.all()) == [goal]
    assert second.text == "Tiedonkulku on\nollut hidasta."
    assert (second.response, second.question.code) == (answered, "kehittaminen")


def test_it_refuses_an_invented_passage_and_keeps_nothing(round, answered):
    with pytest.raises(ValidationError) as caught:
        create(round, answered, "Yhteistyö sujuu erinomaisesti.")

    assert caught.value.message_dict == {
        "text": [
            "The passage must quote the answer word for word, leaving things out only with “- -”. "
            "These words are not in the answer: “Yhteistyö sujuu erinomaisesti.”"
        ]
    }
    assert not Excerpt.objects.exists()


def test_it_refuses_a_passage_of_a_question_the_municipality_did_not_answer(round, answered):
    with pytest.raises(ValidationError) as caught:
        excerpt_create(
            round=round, response=answered, question=question(round, "muuta"), text="Yhteistyörakenteet", by=None
        )

    assert message_of(caught) == "The municipality has not submitted an answer to this question."


def test_it_refuses_an_answer_that_was_not_submitted(round, answered):
    draft = round.invitations.get(municipality__code="710").response

    with pytest.raises(ValidationError) as caught:
        create(round, draft, "Svenska tjänster.")

    assert message_of(caught) == "Excerpts are taken from this round's submitted answers only."


def test_it_refuses_an_answer_or_goal_of_another_round(round, answered):
    other = make_round("toinen", municipalities=[("444", "Lohja", "Lojo", "fi-sv")])
    other_answer = submit(other.invitations.get(), at=DURING_ROUND, comments={"kehittaminen": ANSWER})

    with pytest.raises(ValidationError):
        create(round, other_answer, "Yhteistyörakenteet")
    with pytest.raises(ValidationError) as caught:
        create(round, answered, "Yhteistyörakenteet", goals=[other.nodes.get(code="osallisuus")])

    assert caught.value.message_dict == {"goals": ["Choose goals of this round."]}
    assert not Excerpt.objects.exists()


def test_it_updates_the_passage_and_goals_only_with_the_answers_words(round, answered):
    excerpt = create(round, answered, "Yhteistyörakenteet ja yhteiskehittäminen")
    goal = round.nodes.get(code="osallisuus")

    excerpt_update(excerpt=excerpt, text="Yhteistyörakenteet - - sovitut käytännöt.", goals=[goal])
    with pytest.raises(ValidationError):
        excerpt_update(excerpt=excerpt, text="Yhteistyörakenteet ovat huonot.", goals=[])

    excerpt.refresh_from_db()
    assert excerpt.text == "Yhteistyörakenteet - - sovitut käytännöt."
    assert list(excerpt.goals.all()) == [goal]


def test_it_moves_an_excerpt_up_and_down_and_not_past_the_ends(round, answered):
    a = create(round, answered, "Yhteistyörakenteet")
    b = create(round, answered, "yhteiskehittäminen")
    c = create(round, answered, "Tiedonkulku")

    def order():
        return [e.pk for e in round.excerpts.all()]

    excerpt_move(excerpt=c, up=True)
    assert order() == [a.pk, c.pk, b.pk]
    excerpt_move(excerpt=a, up=False)
    assert order() == [c.pk, a.pk, b.pk]
    excerpt_move(excerpt=c, up=True)
    excerpt_move(excerpt=b, up=False)
    assert order() == [c.pk, a.pk, b.pk]
    assert list(round.excerpts.values_list("order", flat=True)) == [1, 2, 3]


def test_it_moves_excerpts_whose_orders_are_equal(round, answered):
    a = create(round, answered, "Yhteistyörakenteet")
    b = create(round, answered, "Tiedonkulku")
    Excerpt.objects.update(order=0)

    excerpt_move(excerpt=b, up=True)

    assert [e.pk for e in round.excerpts.all()] == [b.pk, a.pk]


def test_it_deletes_an_excerpt_and_keeps_the_answer(round, answered):
    excerpt = create(round, answered, "Tiedonkulku")

    excerpt_delete(excerpt=excerpt)

    assert not Excerpt.objects.exists()
    assert answered.comments.get().text == ANSWER


def test_it_saves_the_narrative_against_the_numbers_it_was_written_for(round, answered, staff):
    narrative = narrative_save(round=round, language="fi", text="  Kunnat arvioivat.\r\n\r\nToinen kappale. ", by=staff)

    report = report_build(round, language="fi")
    assert (narrative.text, narrative.edited_by) == ("Kunnat arvioivat.\n\nToinen kappale.", staff)
    assert narrative.numbers == report.narrative_numbers
    assert (report.narrative, report.narrative_outdated) == ("Kunnat arvioivat.\n\nToinen kappale.", False)


def test_it_keeps_the_numbers_the_editor_saw_so_a_change_meanwhile_shows(round, answered, staff):
    seen = report_build(round, language="fi").narrative_numbers
    submit(round.invitations.get(municipality__code="927"), at=DURING_ROUND, values={"osallisuus": 1})

    narrative_save(round=round, language="fi", text="Kirjoitettu vanhoista luvuista.", by=staff, numbers=seen)

    assert report_build(round, language="fi").narrative_outdated is True


def test_it_refuses_an_empty_narrative(round, staff):
    with pytest.raises(ValidationError) as caught:
        narrative_save(round=round, language="sv", text=" \n ", by=staff)

    assert caught.value.message_dict == {"text": ["Write the text, or go back to the draft from the numbers."]}
    assert not Narrative.objects.exists()


def test_it_keeps_one_text_per_language_and_resets_one_to_the_draft(round, answered, staff):
    narrative_save(round=round, language="fi", text="Ensimmäinen.", by=staff)
    narrative_save(round=round, language="fi", text="Toinen.", by=staff)
    narrative_save(round=round, language="sv", text="Svenska.", by=staff)

    narrative_reset(round=round, language="fi")

    assert list(Narrative.objects.values_list("language", "text")) == [("sv", "Svenska.")]
    report = report_build(round, language="fi")
    assert (report.narrative, report.narrative_edited) == (report.narrative_drafted, False)


def test_it_refuses_a_language_arvio_does_not_have(round, staff):
    with pytest.raises(ValueError):
        narrative_save(round=round, language="de", text="Deutsch.", by=staff)
