"""Importing survey definition files: creating, updating and refusing; a round with answers keeps what it asked."""

from datetime import date

import pytest
import yaml

from arvio.invitations.models import Invitation
from arvio.responses.models import Response
from arvio.surveys.definition import SurveyFileError
from arvio.surveys.models import Municipality, Node, Organizer, Question, Round, ScaleOption
from arvio.surveys.survey_export import survey_export
from arvio.surveys.survey_import import survey_import
from tests.surveys.survey_files import text, valid_definition, write_yaml

pytestmark = pytest.mark.django_db


def snapshot(round: Round) -> dict:
    """Everything an import may touch, to show that a refused file touched nothing."""
    round.refresh_from_db()
    return {
        "round": survey_export(round=round),
        "node_ids": sorted(round.nodes.values_list("code", "pk")),
        "municipalities": sorted(Municipality.objects.values_list("code", "name_fi", "name_sv")),
        "organizers": sorted(Organizer.objects.values_list("code", "name_fi")),
    }


def answer(round: Round, municipality="235") -> Response:
    invitation = round.invitations.get(municipality__code=municipality)
    return Response.objects.create(invitation=invitation)


def test_it_creates_the_round_with_its_goal_tree(tmp_path):
    round = survey_import(source=write_yaml(tmp_path, valid_definition()))

    tree = [(node.code, node.kind, node.parent.code if node.parent else None, node.depth) for node in round.tree()]
    assert tree == [
        ("palvelustrategia", "document", None, 0),
        ("yhteistyo", "goal", "palvelustrategia", 1),
        ("yhteistyo-rakenne", "subgoal", "yhteistyo", 2),
        ("yhteistyo-tietopohja", "subgoal", "yhteistyo", 2),
        ("vammaispalvelut", "theme", "palvelustrategia", 1),
        ("vammais-esteettomyys", "goal", "vammaispalvelut", 2),
        ("hyvinvointialuestrategia", "document", None, 0),
        ("osallisuus-teema", "theme", "hyvinvointialuestrategia", 1),
        ("osallisuus", "goal", "osallisuus-teema", 2),
        ("osallisuus-kanavat", "subgoal", "osallisuus", 3),
        ("osallisuus-palaute", "subgoal", "osallisuus", 3),
    ]
    assert [node.code for node in round.rated_goals()] == [
        "yhteistyo-rakenne",
        "yhteistyo-tietopohja",
        "vammais-esteettomyys",
        "osallisuus-kanavat",
        "osallisuus-palaute",
    ]


def test_it_stores_the_texts_and_flags_of_nodes(tmp_path):
    round = survey_import(source=write_yaml(tmp_path, valid_definition()))

    goal = round.nodes.get(code="yhteistyo")
    assert (goal.text_fi, goal.text_sv, goal.text_en) == ("Yhteistyö on toimivaa.", "Samarbetet fungerar.", "")
    assert (goal.label_fi, goal.summary_row, goal.detail_page) == ("yhteistyö", True, True)
    assert (goal.label_genitive_fi, goal.label_genitive_sv, goal.label_genitive_en) == (
        "yhteistyön",
        "samarbetet",
        "cooperation",
    )
    assert round.nodes.get(code="vammaispalvelut").label_genitive_fi == ""
    assert round.nodes.get(code="osallisuus").heading_sv == "Delaktighet och påverkan"
    assert round.nodes.get(code="osallisuus-teema").summary_row is False


def test_it_names_three_strongest_and_three_weakest_unless_the_file_says_otherwise():
    data = valid_definition()
    del data["round"]["narrative"]

    round = survey_import(source=data)

    assert (round.narrative_strongest, round.narrative_weakest) == (3, 3)
    assert survey_export(round=round)["round"]["narrative"] == {"strongest": 3, "weakest": 3}


def test_it_stores_the_round_scale_and_questions(tmp_path):
    round = survey_import(source=write_yaml(tmp_path, valid_definition()))

    assert (round.organizer.code, round.title_en, round.opens_on, round.closes_on) == (
        "luvn",
        "Municipal survey",
        date(2024, 11, 6),
        date(2024, 12, 5),
    )
    assert (round.dont_know_label_fi, round.reminder_interval_days) == ("En osaa sanoa", 7)
    assert (round.narrative_strongest, round.narrative_weakest) == (2, 1)
    assert list(round.scale.values_list("value", "label_fi", "level_fi", "level_sv")) == [
        (5, "Erinomaisesti", "erinomaiseksi", "utmärkt"),
        (4, "Hyvin", "", ""),
        (3, "Kohtalaisesti", "kohtalaiseksi", "någorlunda"),
        (2, "Heikosti", "", ""),
        (1, "Ei lainkaan", "", ""),
    ]
    assert list(round.questions.values_list("code", "text_sv")) == [("kehittaminen", "Vad borde utvecklas?")]


def test_it_creates_invitations_in_the_order_of_the_file_with_their_contacts(tmp_path):
    round = survey_import(source=write_yaml(tmp_path, valid_definition()))

    invitations = list(round.invitations.all())
    assert [invitation.municipality.code for invitation in invitations] == ["235", "224", "049"]
    assert [invitation.deadline_extended_to for invitation in invitations] == [None, date(2024, 12, 12), None]
    assert list(invitations[0].contacts.values_list("name", "email", "role")) == [
        ("Kaisa Kunnanjohtaja", "kaisa@kauniainen.example", "kaupunginjohtaja"),
        ("Kalle Kirjaaja", "kalle@kauniainen.example", ""),
    ]
    espoo = Municipality.objects.get(code="049")
    assert (espoo.name_sv, espoo.language) == ("Esbo", "fi-sv")


def test_it_reads_yaml_text_too():
    source = yaml.safe_dump(valid_definition(), allow_unicode=True)

    round = survey_import(source=source)

    assert round.nodes.count() == 11


def test_an_invalid_file_creates_nothing(tmp_path):
    data = valid_definition()
    del data["documents"][1]["themes"][0]["goals"][0]["subgoals"][1]["text"]["sv"]

    with pytest.raises(SurveyFileError):
        survey_import(source=write_yaml(tmp_path, data))

    assert not Round.objects.exists()
    assert not Municipality.objects.exists()
    assert not Organizer.objects.exists()


def test_an_invalid_update_leaves_the_round_as_it_was(tmp_path):
    round = survey_import(source=valid_definition())
    before = snapshot(round)
    data = valid_definition()
    data["round"]["title"] = text("Uusi nimi", "Nytt namn")
    data["municipalities"][0]["name"] = text("Kauniainen!", "Grankulla!")
    data["documents"][0]["goals"][0]["text"] = text("Muutettu.", "Ändrat.")
    data["invitations"][0]["contacts"][0]["email"] = "not an email"

    with pytest.raises(SurveyFileError) as caught:
        survey_import(source=write_yaml(tmp_path, data))

    assert caught.value.errors == ['invitations[0].contacts[0].email: must be an email address, not "not an email"']
    assert snapshot(round) == before


def test_it_updates_a_round_without_answers_keeping_the_nodes_it_matches_by_code():
    round = survey_import(source=valid_definition())
    kept_id = round.nodes.get(code="vammais-esteettomyys").pk
    data = valid_definition()
    document = data["documents"][0]
    moved = document["themes"][0]["goals"].pop()
    moved["text"] = text("Esteettömyys paranee.", "Tillgängligheten blir bättre.")
    document["goals"].append(moved)
    document["themes"][0]["goals"] = [{"code": "vammais-uusi", "text": text("Uusi.", "Ny.")}]
    del document["goals"][0]["subgoals"][1]
    data["scale"]["options"].pop()
    data["questions"].append({"code": "muuta", "text": text("Muuta?", "Annat?")})

    round = survey_import(source=data)

    moved_node = round.nodes.get(code="vammais-esteettomyys")
    assert (moved_node.pk, moved_node.parent.code, moved_node.text_fi) == (
        kept_id,
        "palvelustrategia",
        "Esteettömyys paranee.",
    )
    assert [node.code for node in round.tree()][:6] == [
        "palvelustrategia",
        "yhteistyo",
        "yhteistyo-rakenne",
        "vammais-esteettomyys",
        "vammaispalvelut",
        "vammais-uusi",
    ]
    assert not round.nodes.filter(code="yhteistyo-tietopohja").exists()
    assert list(round.scale.values_list("value", flat=True)) == [5, 4, 3, 2]
    assert list(round.questions.values_list("code", flat=True)) == ["kehittaminen", "muuta"]
    assert Round.objects.count() == 1


def test_it_refuses_to_change_the_tree_scale_and_questions_of_a_round_with_answers():
    round = survey_import(source=valid_definition())
    answer(round)
    before = snapshot(round)
    data = valid_definition()
    data["round"]["title"] = text("Uusi nimi", "Nytt namn")
    data["documents"][0]["goals"][0]["subgoals"][0]["text"]["fi"] = "Muutettu."
    data["documents"][0]["themes"][0]["goals"].append({"code": "uusi", "text": text("Uusi.", "Ny.")})
    del data["documents"][1]["themes"][0]["goals"][0]["subgoals"][1]
    data["scale"]["options"][1]["label"]["sv"] = "Bra"
    data["scale"]["dont_know"]["fi"] = "Ei tietoa"
    data["questions"][0]["text"]["en"] = "What should be developed?"

    with pytest.raises(SurveyFileError) as caught:
        survey_import(source=data)

    assert caught.value.errors == [
        "documents[0].goals[0].subgoals[0].text.fi: cannot change once the round has answers",
        'documents[0].themes[0].goals[1]: "uusi" cannot be added once the round has answers',
        'documents: "osallisuus-palaute" cannot be removed once the round has answers',
        "scale.options[1].label.sv: cannot change once the round has answers",
        "scale.dont_know.fi: cannot change once the round has answers",
        "questions[0].text.en: cannot change once the round has answers",
    ]
    assert snapshot(round) == before


def test_it_refuses_to_move_a_goal_of_a_round_with_answers():
    round = survey_import(source=valid_definition())
    answer(round)
    data = valid_definition()
    subgoals = data["documents"][0]["goals"][0]["subgoals"]
    subgoals.reverse()

    with pytest.raises(SurveyFileError) as caught:
        survey_import(source=data)

    assert caught.value.errors == [
        "documents[0].goals[0].subgoals[0]: cannot move in the goal tree once the round has answers",
        "documents[0].goals[0].subgoals[1]: cannot move in the goal tree once the round has answers",
    ]


def test_it_lets_the_report_layout_of_a_round_with_answers_change():
    round = survey_import(source=valid_definition())
    answer(round)
    tree_before = [(node.pk, node.code, node.parent_id, node.order, node.text_fi) for node in round.tree()]
    data = valid_definition()
    goal = data["documents"][0]["goals"][0]
    goal["label"] = text("yhteistyön toimivuus", "samarbetets funktion")
    goal["label_genitive"] = text("yhteistyön toimivuuden", "samarbetets funktion")
    goal["heading"] = text("Yhteistyö", "Samarbete")
    goal["detail_page"] = False
    theme = data["documents"][1]["themes"][0]
    theme |= {"label": text("osallisuus", "delaktighet"), "summary_row": True}
    data["scale"]["options"][3]["level"] = text("heikoksi", "dåligt", "poor")
    data["round"]["narrative"] = {"strongest": 5, "weakest": 3}

    round = survey_import(source=data)

    goal = round.nodes.get(code="yhteistyo")
    assert (goal.label_fi, goal.label_genitive_fi, goal.heading_sv, goal.detail_page) == (
        "yhteistyön toimivuus",
        "yhteistyön toimivuuden",
        "Samarbete",
        False,
    )
    assert round.nodes.get(code="osallisuus-teema").summary_row is True
    assert round.scale.get(value=2).level_en == "poor"
    assert (round.narrative_strongest, round.narrative_weakest) == (5, 3)
    assert [(node.pk, node.code, node.parent_id, node.order, node.text_fi) for node in round.tree()] == tree_before
    assert survey_export(round=round) == survey_export(round=survey_import(source=data))


def test_it_refuses_a_file_that_changes_the_layout_and_a_text_of_a_round_with_answers_as_a_whole():
    round = survey_import(source=valid_definition())
    answer(round)
    before = snapshot(round)
    data = valid_definition()
    data["documents"][0]["goals"][0]["label"] = text("yhteistyön toimivuus", "samarbetets funktion")
    data["scale"]["options"][0]["level"] = text("loistavaksi", "utmärkt")
    data["scale"]["options"][0]["label"]["fi"] = "Loistavasti"

    with pytest.raises(SurveyFileError) as caught:
        survey_import(source=data)

    assert caught.value.errors == ["scale.options[0].label.fi: cannot change once the round has answers"]
    assert snapshot(round) == before


def test_it_lets_the_window_texts_invitations_and_contacts_of_a_round_with_answers_change():
    round = survey_import(source=valid_definition())
    answered = answer(round, "235")
    tree_before = [(node.pk, node.code, node.parent_id, node.order) for node in round.tree()]
    data = valid_definition()
    data["round"]["title"] = text("Kuntakysely 2024", "Kommunenkät 2024")
    data["round"]["closes_on"] = date(2024, 12, 10)
    data["invitations"][0]["contacts"] = [{"name": "Uusi Johtaja", "email": "uusi@kauniainen.example"}]
    data["invitations"].pop(2)  # Espoo has not answered
    data["municipalities"].append({"code": "927", "name": text("Vihti", "Vichtis"), "language": "fi"})
    data["invitations"].insert(0, {"municipality": "927"})

    round = survey_import(source=data)

    assert (round.title_fi, round.closes_on) == ("Kuntakysely 2024", date(2024, 12, 10))
    assert [invitation.municipality.code for invitation in round.invitations.all()] == ["927", "235", "224"]
    kauniainen = round.invitations.get(municipality__code="235")
    assert list(kauniainen.contacts.values_list("name", flat=True)) == ["Uusi Johtaja"]
    assert kauniainen.response == answered
    assert [(node.pk, node.code, node.parent_id, node.order) for node in round.tree()] == tree_before


def test_it_refuses_to_remove_the_invitation_of_a_municipality_that_has_answered():
    round = survey_import(source=valid_definition())
    answer(round, "224")
    data = valid_definition()
    data["invitations"].pop(1)

    with pytest.raises(SurveyFileError) as caught:
        survey_import(source=data)

    assert caught.value.errors == ['invitations: "224" (Karkkila) has answered, so its invitation cannot be removed']
    assert round.invitations.count() == 3


def test_it_reorders_questions_by_their_place_in_the_file():
    round = survey_import(source=valid_definition())
    data = valid_definition()
    questions = [
        {"code": "muuta", "text": text("Muuta?", "Annat?")},
        {"code": "kehittaminen", "text": text("Mitä pitäisi kehittää?", "Vad borde utvecklas?")},
    ]
    data["questions"] = questions

    survey_import(source=data)

    assert list(round.questions.values_list("code", "order")) == [("muuta", 1), ("kehittaminen", 2)]
    assert Question.objects.count() == 2 and ScaleOption.objects.count() == 5
    assert Node.objects.count() == 11 and Invitation.objects.count() == 3


def test_a_round_with_answers_takes_back_its_own_export_whatever_its_stored_order(round):
    for node in round.nodes.all():
        node.order *= 10
        node.save()
    answer(round)
    exported = survey_export(round=round)
    exported["round"]["closes_on"] = date(2024, 12, 20)

    survey_import(source=exported)

    round.refresh_from_db()
    assert round.closes_on == date(2024, 12, 20)
    assert sorted(round.nodes.values_list("order", flat=True)) == [10, 10, 10, 20, 20]
