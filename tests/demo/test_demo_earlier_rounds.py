"""The demo's constructed earlier rounds: 2022 (a goal renamed, one split, seven municipalities) and 2020,
so that the 2024 round shows a comparison and a trend at once."""

from io import StringIO

import pytest
from django.core.management import call_command

from arvio.responses.models import Response
from arvio.surveys.models import Round
from arvio.surveys.window import WindowState

pytestmark = pytest.mark.django_db


def run_demo(*args):
    call_command("demo", "--no-publish", *args, stdout=StringIO())


def answered(round: Round) -> set[str]:
    return set(
        Response.objects.filter(invitation__round=round, submitted_at__isnull=False).values_list(
            "invitation__municipality__code", flat=True
        )
    )


def test_it_loads_a_closed_2022_round_answered_by_seven_two_of_whom_did_not_answer_in_2024():
    run_demo()
    r2022, r2024 = Round.objects.get(code="kuntakysely-2022"), Round.objects.get(code="kuntakysely-2024")

    assert r2022.window_state(r2024.closed_at) == WindowState.CLOSED
    assert len(answered(r2022)) == 7
    assert answered(r2022) - answered(r2024) == {"049", "927"}
    assert r2022.organizer == r2024.organizer


def test_it_asks_in_2022_a_goal_renamed_since_and_one_split_since_mapped_in_2024():
    run_demo()
    r2022, r2024 = Round.objects.get(code="kuntakysely-2022"), Round.objects.get(code="kuntakysely-2024")
    codes_2022 = {node.code for node in r2022.rated_goals()}
    codes_2024 = {node.code for node in r2024.rated_goals()}

    assert codes_2022 - codes_2024 == {"kotihoito", "perhepalvelut"}
    assert codes_2024 - codes_2022 == {"kotona-asuminen", "perhekeskus", "sijaishuolto", "pelastus-ymparistovahingot"}
    assert r2024.baseline == r2022
    assert sorted(r2024.baseline_mapping.values_list("baseline_code", "code")) == [
        ("kotihoito", "kotona-asuminen"),
        ("perhepalvelut", "perhekeskus"),
        ("perhepalvelut", "sijaishuolto"),
    ]


def test_it_chains_2024_to_2022_to_2020_and_leaves_the_open_round_uncompared():
    run_demo()
    r2022 = Round.objects.get(code="kuntakysely-2022")
    assert r2022.baseline.code == "kuntakysely-2020"
    assert r2022.baseline.compared_round(r2022.closed_at) is None
    assert Round.objects.get(code="kuntakysely-demo").no_baseline


def test_it_loads_again_and_resets_without_doubling_anything():
    run_demo()
    run_demo()
    assert Response.objects.filter(invitation__round__code="kuntakysely-2022").count() == 7
    run_demo("--reset")
    assert Response.objects.filter(invitation__round__code="kuntakysely-2020").count() == 6
    assert Round.objects.get(code="kuntakysely-2024").baseline.code == "kuntakysely-2022"
