"""A new round copied from an earlier one, and a blank one: both written the survey file's way."""

import io
from datetime import date

import pytest
import yaml
from django.core.management import call_command

from arvio.invitations.models import AccessLink, SentMail
from arvio.records.models import AuditEntry
from arvio.responses.models import Response
from arvio.results.models import Excerpt, Narrative
from arvio.results.services import narrative_save
from arvio.surveys.definition import SurveyFileError, survey_definition_validate
from arvio.surveys.models import Organizer, Round
from arvio.surveys.round_new import DEFAULT_SCALE, round_code_suggest, round_copy, round_create_blank
from arvio.surveys.survey_export import survey_export, survey_export_yaml
from arvio.surveys.survey_import import survey_import

TITLE = {"fi": "Kuntakysely 2026", "sv": "Kommunenkät 2026", "en": "Municipal survey 2026"}
WINDOW = {"opens_on": date(2026, 11, 4), "closes_on": date(2026, 12, 3)}


@pytest.fixture
def demo_round(db, staff) -> Round:
    """The 2024 round as `arvio demo` loads it: six answers, links, mails, the deck's excerpts; with an
    edited narrative and a deadline extension, so that the copy can be seen to leave them behind."""
    call_command("demo", "--no-publish", stdout=io.StringIO())
    round = Round.objects.get(code="kuntakysely-2024")
    narrative_save(round=round, language="fi", text="Muokattu kertomus.", by=staff)
    round.invitations.filter(municipality__code="049").update(deadline_extended_to=date(2024, 12, 12))
    return round


def _without_round_identity(data: dict) -> dict:
    data = {**data, "round": {**data["round"]}}
    for key in ("code", "title", "opens_on", "closes_on"):
        data["round"].pop(key)
    data["invitations"] = [{k: v for k, v in i.items() if k != "deadline_extended_to"} for i in data["invitations"]]
    return data


def test_its_file_equals_the_originals_but_for_code_title_window_and_extensions(demo_round, staff):
    copy = round_copy(source=demo_round, code="kuntakysely-2026", title=TITLE, by=staff, **WINDOW)
    original, copied = survey_export(round=demo_round), survey_export(round=copy)
    assert copied["round"]["code"] == "kuntakysely-2026"
    assert copied["round"]["title"] == TITLE
    assert (copied["round"]["opens_on"], copied["round"]["closes_on"]) == (WINDOW["opens_on"], WINDOW["closes_on"])
    assert any("deadline_extended_to" in invitation for invitation in original["invitations"])
    assert not any("deadline_extended_to" in invitation for invitation in copied["invitations"])
    assert _without_round_identity(copied) == _without_round_identity(original)


def test_it_keeps_every_code_so_that_the_rounds_compare_goal_by_goal(demo_round, staff):
    copy = round_copy(source=demo_round, code="kuntakysely-2026", title=TITLE, by=staff, **WINDOW)
    assert [(n.code, n.kind, n.depth) for n in copy.tree()] == [(n.code, n.kind, n.depth) for n in demo_round.tree()]
    assert list(copy.questions.values_list("code", flat=True)) == list(
        demo_round.questions.values_list("code", flat=True)
    )
    assert copy.organizer == demo_round.organizer
    # The report's settings come along: summary rows, detail pages, labels, levels, narrative counts.
    assert [(n.summary_row, n.detail_page, n.label_fi, n.label_genitive_sv, n.heading_fi) for n in copy.tree()] == [
        (n.summary_row, n.detail_page, n.label_fi, n.label_genitive_sv, n.heading_fi) for n in demo_round.tree()
    ]
    assert list(copy.scale.values_list("value", "level_fi")) == list(demo_round.scale.values_list("value", "level_fi"))
    assert (copy.narrative_strongest, copy.narrative_weakest) == (
        demo_round.narrative_strongest,
        demo_round.narrative_weakest,
    )


def test_it_takes_the_contact_people_but_nothing_of_the_answers(demo_round, staff):
    assert Response.objects.filter(invitation__round=demo_round).exists()
    assert Excerpt.objects.filter(round=demo_round).exists()
    copy = round_copy(source=demo_round, code="kuntakysely-2026", title=TITLE, by=staff, **WINDOW)
    assert copy.invitations.count() == demo_round.invitations.count()
    assert sorted(copy.invitations.values_list("municipality__code", "contacts__email")) == sorted(
        demo_round.invitations.values_list("municipality__code", "contacts__email")
    )
    assert not Response.objects.filter(invitation__round=copy).exists()
    assert not AccessLink.objects.filter(invitation__round=copy).exists()
    assert not SentMail.objects.filter(invitation__round=copy).exists()
    assert not Excerpt.objects.filter(round=copy).exists()
    assert not Narrative.objects.filter(round=copy).exists()
    assert not copy.invitations.filter(deadline_extended_to__isnull=False).exists()
    assert not copy.invitations.filter(opened_at__isnull=False).exists()
    assert copy.closed_at is None
    assert not copy.tree_is_frozen


def test_it_leaves_the_original_as_it_was(demo_round, staff):
    before = survey_export(round=demo_round)
    round_copy(source=demo_round, code="kuntakysely-2026", title=TITLE, by=staff, **WINDOW)
    assert survey_export(round=Round.objects.get(code="kuntakysely-2024")) == before


def test_an_imported_copy_round_trips(demo_round, staff):
    copy = round_copy(source=demo_round, code="kuntakysely-2026", title=TITLE, by=staff, **WINDOW)
    text = survey_export_yaml(round=copy)
    survey_import(source=text)
    assert survey_export_yaml(round=Round.objects.get(code="kuntakysely-2026")) == text


def test_it_records_who_made_the_round_and_from_what(demo_round, staff):
    round_copy(source=demo_round, code="kuntakysely-2026", title=TITLE, by=staff, **WINDOW)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROUND_CREATE)
    assert (entry.username, entry.round_code, entry.detail) == (
        "staff",
        "kuntakysely-2026",
        {"copied_from": "kuntakysely-2024"},
    )
    assert AuditEntry.objects.get(action=AuditEntry.Action.SURVEY_IMPORT, round_code="kuntakysely-2026").username == (
        "staff"
    )


def test_it_refuses_a_code_in_use_and_changes_nothing(demo_round, staff):
    before = survey_export(round=demo_round)
    with pytest.raises(SurveyFileError) as error:
        round_copy(source=demo_round, code="kuntakysely-2024", title=TITLE, by=staff, **WINDOW)
    assert error.value.errors == ['round.code: "kuntakysely-2024" is already the code of a round']
    assert survey_export(round=demo_round) == before
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ROUND_CREATE).exists()


def test_it_refuses_what_the_file_refuses(round, staff):
    with pytest.raises(SurveyFileError) as error:
        round_copy(
            source=round,
            code="Ei Slugi",
            title={"fi": "", "sv": "Kommunenkät"},
            by=staff,
            opens_on=date(2026, 12, 3),
            closes_on=date(2026, 11, 4),
        )
    assert error.value.errors == [
        'round.code: must be a slug (lower-case letters, digits, - and _), not "Ei Slugi"',
        "round.title.fi: must not be empty",
        "round.closes_on: 2026-11-04 is before opens_on 2026-12-03",
    ]
    assert Round.objects.count() == 1


@pytest.fixture
def organizer(db):
    return Organizer.objects.create(code="luvn", name_fi="Länsi-Uudenmaan hyvinvointialue", name_sv="Västra Nyland")


def test_a_blank_round_has_the_default_scale_and_no_goals(organizer, staff):
    round = round_create_blank(organizer=organizer, code="uusi-2026", title=TITLE, by=staff, **WINDOW)
    assert round.organizer == organizer
    assert round.tree() == []
    assert not round.invitations.exists()
    assert [(o.value, o.label_fi, o.label_sv) for o in round.scale.all()] == [
        (option["value"], option["label"]["fi"], option["label"]["sv"]) for option in DEFAULT_SCALE["options"]
    ]
    assert (round.dont_know_label_fi, round.dont_know_label_sv) == ("En osaa sanoa", "Kan inte säga")
    assert (round.title_fi, round.title_sv, round.title_en) == (TITLE["fi"], TITLE["sv"], TITLE["en"])
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROUND_CREATE)
    assert entry.detail == {"blank": True}


def test_a_blank_round_round_trips_through_its_file(organizer, staff):
    round = round_create_blank(organizer=organizer, code="uusi-2026", title=TITLE, by=staff, **WINDOW)
    text = survey_export_yaml(round=round)
    assert yaml.safe_load(text)["documents"] == []
    survey_import(source=text)
    assert survey_export_yaml(round=Round.objects.get(code="uusi-2026")) == text


def test_an_english_title_is_optional(organizer, staff):
    round = round_create_blank(
        organizer=organizer, code="uusi-2026", title={"fi": "Kysely", "sv": "Enkät", "en": ""}, by=staff, **WINDOW
    )
    assert round.title_en == ""
    assert survey_export(round=round)["round"]["title"] == {"fi": "Kysely", "sv": "Enkät"}


def test_the_file_may_hold_no_documents_but_a_document_must_hold_goals():
    data = survey_export_dict_blank()
    survey_definition_validate(data)
    data["documents"] = [{"code": "strategia", "text": {"fi": "Strategia", "sv": "Strategin"}}]
    with pytest.raises(SurveyFileError) as error:
        survey_definition_validate(data)
    assert error.value.errors == ["documents[0]: a document must hold at least one goal"]


def survey_export_dict_blank() -> dict:
    return {
        "format": "arvio-survey/1",
        "organizer": {"code": "luvn", "name": {"fi": "LUVN", "sv": "VNVO"}},
        "municipalities": [],
        "round": {"code": "uusi", "title": {"fi": "Kysely", "sv": "Enkät"}, **WINDOW},
        "scale": DEFAULT_SCALE,
        "documents": [],
        "invitations": [],
    }


@pytest.mark.parametrize(
    ("title", "opens_on", "taken", "expected"),
    [
        ("Kuntakysely", date(2026, 11, 4), [], "kuntakysely-2026"),
        ("Kuntakysely 2026", date(2026, 11, 4), [], "kuntakysely-2026"),
        ("Kuntakysely 2026", date(2027, 1, 11), [], "kuntakysely-2026"),
        ("Kysely 2026-2027", date(2026, 11, 4), [], "kysely-2026-2027"),
        ("Kysely 100", date(2026, 11, 4), [], "kysely-100-2026"),
        ("Kuntakysely", date(2026, 11, 4), ["kuntakysely-2026"], "kuntakysely-2026-2"),
        ("Äänestäjät ja päättäjät", date(2027, 1, 1), [], "aanestajat-ja-paattajat-2027"),
        ("!!!", date(2026, 1, 1), [], "kierros-2026"),
    ],
)
def test_it_suggests_a_free_code_from_the_title_and_the_year(round, title, opens_on, taken, expected):
    for code in taken:
        Round.objects.filter(pk=round.pk).update(code=code)
    assert round_code_suggest(title=title, opens_on=opens_on) == expected
