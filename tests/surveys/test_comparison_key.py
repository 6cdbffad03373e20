"""The survey file's `comparison` key: the baseline round and the mapping of goals, imported, exported, refused."""

import copy
from datetime import date

import pytest

from arvio.surveys.definition import SurveyFileError, survey_definition_load
from arvio.surveys.models import Round
from arvio.surveys.survey_export import survey_export
from arvio.surveys.survey_import import survey_import
from tests.surveys.survey_files import valid_definition

pytestmark = pytest.mark.django_db


def earlier_round() -> Round:
    """The same tree two years before, closed long ago; its sub-goal yhteistyo-tietopohja was one goal
    `tietopohja-vanha` then."""
    data = valid_definition()
    data["round"] |= {"code": "kuntakysely-2022", "opens_on": date(2022, 11, 1), "closes_on": date(2022, 11, 30)}
    subgoals = data["documents"][0]["goals"][0]["subgoals"]
    subgoals[1]["code"] = "tietopohja-vanha"
    return survey_import(source=data)


def with_comparison(comparison: dict) -> dict:
    data = valid_definition()
    data["comparison"] = comparison
    return data


def test_it_stores_the_baseline_and_the_mapping_and_exports_them_again():
    baseline = earlier_round()
    data = with_comparison(
        {
            "baseline": "kuntakysely-2022",
            "mapping": [
                {"baseline_goal": "tietopohja-vanha", "goals": ["yhteistyo-tietopohja", "vammais-esteettomyys"]}
            ],
        }
    )

    round = survey_import(source=data)

    assert round.baseline == baseline and not round.no_baseline
    assert sorted(round.baseline_mapping.values_list("baseline_code", "code")) == [
        ("tietopohja-vanha", "vammais-esteettomyys"),
        ("tietopohja-vanha", "yhteistyo-tietopohja"),
    ]
    exported = survey_export(round=round)["comparison"]
    assert exported["baseline"] == "kuntakysely-2022"
    assert exported["mapping"] == [
        {"baseline_goal": "tietopohja-vanha", "goals": ["vammais-esteettomyys", "yhteistyo-tietopohja"]}
    ]
    survey_import(source=survey_export(round=round))
    assert round.baseline_mapping.count() == 2


def test_it_reads_one_goal_written_as_a_text():
    earlier_round()
    data = with_comparison(
        {
            "baseline": "kuntakysely-2022",
            "mapping": [{"baseline_goal": "tietopohja-vanha", "goals": "osallisuus-kanavat"}],
        }
    )
    assert survey_definition_load(data).comparison.mapping[0].goals == ["osallisuus-kanavat"]


def test_it_stores_none_as_compared_with_no_round():
    earlier_round()
    round = survey_import(source=with_comparison({"baseline": "none"}))
    assert round.no_baseline and round.baseline is None
    assert round.compared_round(round.created_at) is None
    assert survey_export(round=round)["comparison"] == {"baseline": "none"}


def test_it_falls_back_to_the_latest_earlier_closed_round_sharing_codes_without_the_key():
    baseline = earlier_round()
    round = survey_import(source=valid_definition())
    assert round.baseline is None and not round.no_baseline
    assert round.compared_round(round.created_at) == baseline
    assert "comparison" not in survey_export(round=round)


def test_it_takes_a_mapping_on_the_default_rule_and_checks_it_against_that_round():
    earlier_round()
    round = survey_import(
        source=with_comparison({"mapping": [{"baseline_goal": "tietopohja-vanha", "goals": ["yhteistyo-tietopohja"]}]})
    )
    assert round.baseline_mapping.count() == 1


@pytest.mark.parametrize(
    ("comparison", "expected"),
    [
        ({"baseline": "kuntakysely-1999"}, 'comparison.baseline: there is no round "kuntakysely-1999"'),
        ({"baseline": "kuntakysely-2024"}, "comparison.baseline: a round cannot be compared with itself"),
        (
            {"baseline": "kuntakysely-2022", "mapping": [{"baseline_goal": "nope", "goals": ["osallisuus-kanavat"]}]},
            'comparison.mapping[0].baseline_goal: "nope" is not a rated goal of the baseline round "kuntakysely-2022"',
        ),
        (
            {
                "baseline": "kuntakysely-2022",
                "mapping": [{"baseline_goal": "tietopohja-vanha", "goals": ["yhteistyo"]}],
            },
            'comparison.mapping[0].goals[0]: "yhteistyo" is not a rated goal of this round',
        ),
        (
            {"baseline": "none", "mapping": [{"baseline_goal": "tietopohja-vanha", "goals": ["osallisuus-kanavat"]}]},
            'comparison.mapping: a mapping needs a baseline round, not "none"',
        ),
        (
            {"baseline": "kuntakysely-2022", "mapping": [{"baseline_goal": "tietopohja-vanha", "goals": []}]},
            "comparison.mapping[0].goals: must not be empty",
        ),
    ],
)
def test_it_refuses_a_comparison_that_does_not_hold_with_its_place(comparison, expected):
    earlier_round()
    with pytest.raises(SurveyFileError) as refused:
        survey_import(source=with_comparison(comparison))
    assert expected in refused.value.errors
    assert not Round.objects.filter(code="kuntakysely-2024").exists()


def test_it_refuses_a_later_round_as_the_baseline():
    survey_import(source=valid_definition())
    later = copy.deepcopy(valid_definition())
    later["round"] |= {"code": "kuntakysely-2022", "opens_on": date(2022, 11, 1), "closes_on": date(2022, 11, 30)}
    later["comparison"] = {"baseline": "kuntakysely-2024"}
    with pytest.raises(SurveyFileError) as refused:
        survey_import(source=later)
    assert refused.value.errors == [
        'comparison.baseline: "kuntakysely-2024" is not an earlier round of the same organizer'
    ]


def test_it_refuses_a_mapping_without_any_baseline():
    with pytest.raises(SurveyFileError) as refused:
        survey_import(source=with_comparison({"mapping": [{"baseline_goal": "x", "goals": ["osallisuus-kanavat"]}]}))
    assert refused.value.errors == ["comparison.mapping: a mapping needs a baseline round (comparison.baseline)"]
