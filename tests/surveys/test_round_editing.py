"""Editing a round through the survey file's rules (surveys/round_editing.py): the tree's pure operations,
and `round_change` writing through the file's own checks and writer."""

import copy
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arvio.invitations.models import Contact, Invitation
from arvio.records.models import AuditEntry
from arvio.responses.models import Answer, Response
from arvio.surveys.definition import SurveyFileError, survey_definition_validate
from arvio.surveys.models import Municipality, Node, Organizer, Round
from arvio.surveys.round_editing import (
    MOVES,
    RoundEditError,
    TreeChangeRefused,
    describe_place,
    node_add,
    node_delete,
    node_descendants,
    node_edit,
    node_fields,
    node_move_down,
    node_move_in,
    node_move_out,
    node_move_up,
    node_moves,
    node_row,
    round_change,
    text_value,
    tree_rows,
)
from arvio.surveys.survey_export import survey_export
from arvio.surveys.survey_import import survey_import
from tests.invitations.helpers import DURING_ROUND, submit
from tests.surveys.survey_files import text, valid_definition


def codes(data) -> list[tuple[int, str, str]]:
    return [(row.depth, row.kind, row.code) for row in tree_rows(data)]


def children(data, code) -> list[str]:
    row = node_row(data, code)
    return [child.code for child in tree_rows(data) if child.parent_code == code and child.depth == row.depth + 1]


# The tree's operations, without a database


def test_it_lists_the_tree_depth_first_with_kinds():
    assert codes(valid_definition())[:5] == [
        (0, "document", "palvelustrategia"),
        (1, "goal", "yhteistyo"),
        (2, "subgoal", "yhteistyo-rakenne"),
        (2, "subgoal", "yhteistyo-tietopohja"),
        (1, "theme", "vammaispalvelut"),
    ]


def test_it_adds_a_sub_goal_as_the_last_child():
    data = valid_definition()
    changed = node_add(data, parent="yhteistyo", key="subgoals", node={"code": "uusi", "text": text("Uusi", "Ny")})
    assert children(changed, "yhteistyo") == ["yhteistyo-rakenne", "yhteistyo-tietopohja", "uusi"]
    assert data == valid_definition(), "the data given is never changed"
    survey_definition_validate(changed)


def test_it_adds_a_document_at_the_top():
    changed = node_add(
        valid_definition(),
        parent=None,
        key="documents",
        node={"code": "uusi", "text": text("Uusi", "Ny"), "goals": [{"code": "g", "text": text("G", "G")}]},
    )
    assert codes(changed)[-2:] == [(0, "document", "uusi"), (1, "goal", "g")]


def test_it_refuses_to_add_a_kind_where_the_file_has_no_place_for_it():
    with pytest.raises(TreeChangeRefused):
        node_add(valid_definition(), parent="yhteistyo-rakenne", key="subgoals", node={"code": "x"})
    with pytest.raises(TreeChangeRefused):
        node_add(valid_definition(), parent="vammaispalvelut", key="themes", node={"code": "x"})


def test_it_edits_and_removes_keys_of_a_node():
    changed = node_edit(valid_definition(), code="yhteistyo", values={"text": text("A", "B"), "label": None})
    node = node_row(changed, "yhteistyo").node
    assert node["text"] == {"fi": "A", "sv": "B"}
    assert "label" not in node


def test_it_deletes_a_node_with_its_descendants():
    data = valid_definition()
    assert [row.code for row in node_descendants(data, "yhteistyo")] == ["yhteistyo-rakenne", "yhteistyo-tietopohja"]
    changed = node_delete(data, code="yhteistyo")
    assert {"yhteistyo", "yhteistyo-rakenne", "yhteistyo-tietopohja"}.isdisjoint(row.code for row in tree_rows(changed))


def test_it_moves_a_node_up_and_down_among_its_siblings():
    data = valid_definition()
    down = node_move_down(data, code="yhteistyo-rakenne")
    assert children(down, "yhteistyo") == ["yhteistyo-tietopohja", "yhteistyo-rakenne"]
    assert node_move_up(down, code="yhteistyo-rakenne") == data


def test_it_moves_the_first_of_a_list_to_the_end_of_the_same_list_of_the_parents_previous_sibling():
    data = node_add(
        valid_definition(), parent="palvelustrategia", key="goals", node={"code": "toinen", "text": text("T", "T")}
    )
    data = node_add(data, parent="toinen", key="subgoals", node={"code": "toinen-1", "text": text("T1", "T1")})
    moved = node_move_up(data, code="toinen-1")
    assert children(moved, "yhteistyo")[-1] == "toinen-1"
    assert children(moved, "toinen") == []
    assert node_move_down(moved, code="toinen-1") == data


def test_it_moves_a_document_across_documents_and_refuses_past_the_ends():
    data = valid_definition()
    assert [row.code for row in tree_rows(node_move_down(data, code="palvelustrategia")) if row.depth == 0] == [
        "hyvinvointialuestrategia",
        "palvelustrategia",
    ]
    with pytest.raises(TreeChangeRefused, match="first"):
        node_move_up(data, code="palvelustrategia")
    with pytest.raises(TreeChangeRefused, match="last"):
        node_move_down(data, code="hyvinvointialuestrategia")


def test_it_moves_a_goal_in_under_the_goal_before_it_and_out_again():
    data = node_add(
        valid_definition(), parent="palvelustrategia", key="goals", node={"code": "toinen", "text": text("T", "T")}
    )
    moved = node_move_in(data, code="toinen")
    assert node_row(moved, "toinen").kind == "subgoal"
    assert children(moved, "yhteistyo")[-1] == "toinen"
    out = node_move_out(moved, code="toinen")
    assert node_row(out, "toinen").kind == "goal"
    assert children(out, "palvelustrategia")[:2] == ["yhteistyo", "toinen"]
    survey_definition_validate(moved)
    survey_definition_validate(out)


def test_it_refuses_to_move_in_a_goal_with_sub_goals_or_without_a_goal_before_it():
    with pytest.raises(TreeChangeRefused):
        node_move_in(valid_definition(), code="yhteistyo")
    with pytest.raises(TreeChangeRefused):
        node_move_in(valid_definition(), code="vammaispalvelut")


def test_it_moves_a_themes_goal_out_to_its_document():
    out = node_move_out(valid_definition(), code="vammais-esteettomyys")
    assert children(out, "palvelustrategia")[:2] == ["yhteistyo", "vammais-esteettomyys"]
    with pytest.raises(TreeChangeRefused):
        node_move_out(valid_definition(), code="yhteistyo")


def test_it_describes_a_place_by_the_node_it_is_in():
    assert describe_place(valid_definition(), ("documents", 0, "goals", 0, "text", "sv")) == (
        "goal “yhteistyo”, text.sv"
    )
    assert describe_place(valid_definition(), ("round", "title")) == "round.title"


def test_it_makes_a_text_of_the_file_from_a_forms_fields():
    assert text_value({"label_fi": " a ", "label_sv": "b", "label_en": ""}, "label") == {"fi": "a", "sv": "b"}
    assert text_value({"label_fi": "", "label_sv": " "}, "label") is None
    assert text_value({}, "text", required=True) == {"fi": "", "sv": ""}


@st.composite
def tree_operations(draw):
    return draw(st.lists(st.tuples(st.sampled_from([*MOVES, "delete"]), st.integers(0, 30)), max_size=25))


@settings(max_examples=150, deadline=None)
@given(tree_operations())
def test_it_keeps_the_tree_valid_over_any_sequence_of_moves(operations):
    """Moves keep every node and every key of it; the file's checks then refuse at most an emptied theme
    or document, which a move may leave and an edit would be refused for."""
    data = valid_definition()
    for name, pick in operations:
        rows = tree_rows(data)
        if not rows:
            break
        code = rows[pick % len(rows)].code
        before = data
        try:
            if name == "delete":
                data = node_delete(data, code=code)
                expected = (
                    {row.code for row in tree_rows(before)}
                    - {code}
                    - {row.code for row in node_descendants(before, code)}
                )
                assert {row.code for row in tree_rows(data)} == expected
                continue
            data = MOVES[name](data, code=code)
        except TreeChangeRefused:
            assert data is before
            continue
        assert sorted(row.code for row in tree_rows(data)) == sorted(row.code for row in tree_rows(before))
        assert {row.code: _without_children(row.node) for row in tree_rows(data)} == {
            row.code: _without_children(row.node) for row in tree_rows(before)
        }
    try:
        survey_definition_validate(data)
    except SurveyFileError as error:
        allowed = ("a theme must hold at least one goal", "a document must hold at least one goal", "must not be empty")
        assert all(any(message in line for message in allowed) for line in error.errors), error.errors


@settings(max_examples=60, deadline=None)
@given(tree_operations())
def test_it_offers_exactly_the_moves_that_can_be_made(operations):
    data = valid_definition()
    for name, pick in operations:
        rows = tree_rows(data)
        code = rows[pick % len(rows)].code
        if name != "delete" and name in node_moves(data, code):
            data = MOVES[name](data, code=code)
    for row in tree_rows(data):
        possible = set()
        for name, move in MOVES.items():
            try:
                move(data, code=row.code)
            except TreeChangeRefused:
                continue
            possible.add(name)
        assert node_moves(data, row.code) == possible, row.code


def _without_children(node: dict) -> dict:
    return {key: value for key, value in node.items() if key not in ("goals", "themes", "subgoals")}


# round_change, through the database


@pytest.fixture
def round(db):
    return survey_import(source=valid_definition())


def _retitle(data):
    data["round"]["title"] = text("Kuntakysely 2026", "Kommunenkät 2026")
    return data


@pytest.mark.django_db
def test_it_writes_an_edit_and_records_it_as_an_edit(round, staff):
    imports = AuditEntry.objects.filter(action=AuditEntry.Action.SURVEY_IMPORT).count()
    edited = round_change(round=round, change=_retitle, by=staff, what="settings")
    assert edited.title_fi == "Kuntakysely 2026"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROUND_EDIT)
    assert (entry.username, entry.round_code, entry.detail) == ("staff", round.code, {"what": "settings"})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SURVEY_IMPORT).count() == imports


@pytest.mark.django_db
def test_it_writes_and_records_nothing_for_an_edit_that_changes_nothing(round, staff):
    round_change(round=round, change=lambda data: data, by=staff, what="settings")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ROUND_EDIT).exists()


@pytest.mark.django_db
def test_it_refuses_an_edit_with_the_files_own_messages_under_the_forms_fields(round, staff):
    def empty_title(data):
        data["round"]["title"] = {"fi": "", "sv": "x" * 501}
        return data

    with pytest.raises(RoundEditError) as refused:
        round_change(
            round=round,
            change=empty_title,
            by=staff,
            what="settings",
            fields={("round", "title", "fi"): "title_fi", ("round", "title", "sv"): "title_sv"},
        )
    assert refused.value.by_field == {
        "title_fi": ["must not be empty"],
        "title_sv": ["must be at most 500 characters"],
    }
    assert Round.objects.get().title_fi == "Kuntakysely"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ROUND_EDIT).exists()


@pytest.mark.django_db
def test_it_names_the_node_of_a_problem_no_field_shows(round, staff):
    def empty_theme(data):
        data["documents"][0]["themes"][0]["goals"] = []
        return data

    with pytest.raises(RoundEditError) as refused:
        round_change(round=round, change=empty_theme, by=staff, what="node_delete")
    assert refused.value.by_field == {None: ["theme “vammaispalvelut”: a theme must hold at least one goal"]}


@pytest.mark.django_db
def test_it_refuses_a_text_with_a_nul_byte(round, staff):
    with pytest.raises(RoundEditError) as refused:
        round_change(
            round=round,
            change=lambda data: node_edit(data, code="yhteistyo", values={"text": text("a\x00b", "b")}),
            by=staff,
            what="node_edit",
            fields=lambda data: node_fields(node_row(data, "yhteistyo").loc),
        )
    assert "cannot be saved" in refused.value.by_field["text_fi"][0]


@pytest.mark.django_db
def test_it_shows_a_window_that_would_end_after_an_extension_under_the_closing_day(round, staff):
    def later(data):
        data["round"]["closes_on"] = date(2024, 12, 20)
        return data

    with pytest.raises(RoundEditError) as refused:
        round_change(round=round, change=later, by=staff, what="settings", fields={("invitations",): "closes_on"})
    assert refused.value.by_field == {
        "closes_on": ["invitation of 224, deadline_extended_to: 2024-12-12 is before the round closes (2024-12-20)"]
    }


@pytest.mark.django_db
def test_it_refuses_to_change_the_round_code(round, staff):
    def recode(data):
        data["round"]["code"] = "toinen"
        return data

    with pytest.raises(RoundEditError):
        round_change(round=round, change=recode, by=staff, what="settings")
    assert list(Round.objects.values_list("code", flat=True)) == ["kuntakysely-2024"]


@pytest.mark.django_db
def test_it_refuses_what_was_asked_but_writes_the_layout_once_anybody_has_answered(round, staff):
    invitation = round.invitations.get(municipality__code="235")
    submit(invitation, at=DURING_ROUND, values={"vammais-esteettomyys": 4})
    with pytest.raises(RoundEditError) as refused:
        round_change(
            round=round,
            change=lambda data: node_edit(data, code="yhteistyo", values={"text": text("Uusi", "Ny")}),
            by=staff,
            what="node_edit",
            fields=lambda data: node_fields(node_row(data, "yhteistyo").loc),
        )
    assert refused.value.by_field == {
        "text_fi": ["cannot change once the round has answers"],
        "text_sv": ["cannot change once the round has answers"],
    }
    with pytest.raises(RoundEditError):
        round_change(
            round=round, change=lambda data: node_move_down(data, code="palvelustrategia"), by=staff, what="node_move"
        )
    round_change(
        round=round,
        change=lambda data: node_edit(data, code="yhteistyo", values={"label": text("uusi", "ny")}),
        by=staff,
        what="node_edit",
    )
    assert Node.objects.get(code="yhteistyo").label_fi == "uusi"
    assert Answer.objects.get().node.code == "vammais-esteettomyys"


@pytest.mark.django_db
def test_an_edit_keeps_the_invitations_and_their_contacts_as_they_are(round, staff):
    before = list(Invitation.objects.order_by("pk").values())
    contacts = list(Contact.objects.order_by("pk").values())
    round_change(round=round, change=_retitle, by=staff, what="settings")
    assert list(Invitation.objects.order_by("pk").values()) == before
    assert list(Contact.objects.order_by("pk").values()) == contacts, "the same rows, not copies"


@pytest.mark.django_db
def test_an_edit_keeps_a_contact_added_after_the_data_was_read(round, staff):
    """An editor reads the round in one request and posts in another: contacts added between stay."""
    invitation = round.invitations.get(municipality__code="049")

    def retitle_after_a_contact_was_added(data):
        Contact.objects.create(invitation=invitation, name="Uusi", email="uusi@espoo.example", order=9)
        return _retitle(data)

    round_change(round=round, change=retitle_after_a_contact_was_added, by=staff, what="settings")
    assert invitation.contacts.filter(name="Uusi").exists()


@pytest.mark.django_db
def test_an_edit_keeps_drafts_and_answers(round, staff):
    """A saved draft freezes what was asked, as an answer does; the layout and the settings still change."""
    kauniainen = round.invitations.get(municipality__code="235")
    draft = Response.objects.create(
        invitation=kauniainen, version=3, draft={"ratings": {"osallisuus-kanavat": 2}, "comments": {}}
    )
    round_change(round=round, change=_retitle, by=staff, what="settings")
    submit(round.invitations.get(municipality__code="224"), at=DURING_ROUND, values={"osallisuus-kanavat": 5})
    round_change(
        round=round,
        change=lambda data: node_edit(data, code="osallisuus", values={"heading": text("Uusi otsikko", "Ny rubrik")}),
        by=staff,
        what="node_edit",
    )
    assert Node.objects.get(code="osallisuus").heading_fi == "Uusi otsikko"
    assert Answer.objects.get().value == 5
    kept = Response.objects.get(invitation=kauniainen)
    assert (kept.pk, kept.version, kept.draft) == (draft.pk, 3, draft.draft)


@pytest.mark.django_db
def test_an_edit_keeps_the_rows_of_the_nodes_it_keeps(round, staff):
    pks = dict(Node.objects.values_list("code", "pk"))
    round_change(
        round=round,
        change=lambda data: node_move_in(node_move_out(data, code="osallisuus-palaute"), code="osallisuus-palaute"),
        by=staff,
        what="node_move",
    )
    assert dict(Node.objects.values_list("code", "pk")) == pks


EDITS = {
    "settings": _retitle,
    "window": lambda data: data["round"].update(opens_on=date(2024, 10, 2), closes_on=date(2024, 12, 12)) or data,
    "scale": lambda data: data["scale"]["options"].pop() and data,
    "questions": lambda data: (
        data.update(questions=[*data["questions"], {"code": "muuta", "text": text("M", "Ö")}]) or data
    ),
    "node_add": lambda data: node_add(
        data, parent="yhteistyo", key="subgoals", node={"code": "uusi", "text": text("Uusi", "Ny")}
    ),
    "node_edit": lambda data: node_edit(data, code="osallisuus", values={"label": text("osallisuus", "delaktighet")}),
    "node_delete": lambda data: node_delete(data, code="yhteistyo-rakenne"),
    "node_move": lambda data: node_move_down(data, code="palvelustrategia"),
    "node_move_in": lambda data: node_move_in(
        node_move_out(data, code="osallisuus-palaute"), code="osallisuus-palaute"
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS)
def test_every_edit_exports_to_a_file_that_imports_into_an_empty_database_as_the_same_round(round, staff, edit):
    round_change(round=round, change=EDITS[edit], by=staff, what=edit)
    exported = survey_export(round=Round.objects.get())
    Round.objects.all().delete()
    Municipality.objects.all().delete()
    Organizer.objects.all().delete()
    assert survey_export(round=survey_import(source=copy.deepcopy(exported))) == exported
