"""What each request of the answering path costs in queries: the same for a round of three goals as
for one of forty, and no session write but where the session changes (docs/performance.md)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from arvio.invitations.links import link_create
from arvio.surveys.models import Node
from tests.responses.conftest import answers

JSON = {"X-Requested-With": "fetch", "Accept": "application/json"}


def queries(request) -> tuple[int, list[str], object]:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    statements = [
        query["sql"] for query in captured.captured_queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    return len(statements), statements, response


def session_writes(statements) -> list[str]:
    return [sql for sql in statements if "django_session" in sql and not sql.startswith("SELECT")]


def answering_costs(client, token, rated: list[str]) -> dict[str, tuple[int, list[str]]]:
    """Walks one respondent through the form and returns each request's (queries, statements)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fields = {f"g_{code.replace('-', '_')}": "3" for code in rated}
    steps = {
        "open link": (lambda: client.get(f"/a/{token}/"), 302),
        "form": (lambda: client.get("/answer/"), 200),
        "first autosave": (lambda: client.post("/answer/", answers(0, **fields), headers=JSON), 200),
        "autosave": (lambda: client.post("/answer/", answers(1, q_muuta="Kiitos", **fields), headers=JSON), 200),
        "review save": (lambda: client.post("/answer/", {**answers(2, **fields), "action": "review"}), 302),
        "review": (lambda: client.get("/answer/review/"), 200),
        "submit": (lambda: client.post("/answer/submit/", {"version": "3", "name": "Kaisa"}), 302),
        "done": (lambda: client.get("/answer/done/"), 200),
    }
    costs = {}
    for name, (request, status) in steps.items():
        count, statements, response = queries(request)
        assert response.status_code == status, name
        costs[name] = (count, statements)
    return costs


# Savepoints left out: they are not round trips that read or write data.
EXPECTED = {
    # throttle, link, session (exists, insert), first opening
    "open link": 5,
    # session, link with its invitation, round and response, scale, tree, questions
    "form": 5,
    # session, link; the invitation locked, its response, the goals, questions and scale; the write
    "first autosave": 8,
    "autosave": 8,
    "review save": 8,
    "review": 5,
    # as a save, then the rows replaced, the readout for the receipt, its contacts and its mail
    "submit": 18,
    "done": 7,
}


def test_each_request_costs_the_queries_it_needs(client, token, round, during_round):
    rated = [node.code for node in round.rated_goals()]

    costs = answering_costs(client, token, rated)

    assert {name: count for name, (count, _statements) in costs.items()} == EXPECTED


def test_the_queries_do_not_grow_with_the_goals(client, token, round, during_round):
    document = round.nodes.get(code="palvelustrategia")
    Node.objects.bulk_create(
        Node(round=round, parent=document, kind=Node.Kind.GOAL, code=f"lisa-{i}", order=10 + i, text_fi=f"Lisä {i}")
        for i in range(40)
    )
    rated = [node.code for node in round.rated_goals()]
    assert len(rated) == 43

    costs = answering_costs(client, token, rated)

    assert {name: count for name, (count, _statements) in costs.items()} == EXPECTED


def test_only_opening_the_link_writes_the_session(client, token, round, during_round):
    rated = [node.code for node in round.rated_goals()]

    costs = answering_costs(client, token, rated)

    assert len(session_writes(costs["open link"][1])) == 1
    assert {name for name, (_count, statements) in costs.items() if session_writes(statements)} == {"open link"}


def test_opening_a_link_in_a_session_already_open_still_gives_a_new_key(client, token, round, during_round):
    client.get(f"/a/{token}/")
    first = client.session.session_key
    other = link_create(invitation=round.invitations.get(municipality__code="927"))

    client.get(f"/a/{other}/")

    assert client.session.session_key not in (None, first)


@pytest.mark.parametrize("step", ["form", "autosave", "done"])
def test_a_second_respondent_costs_the_same(token, round, during_round, step):
    rated = [node.code for node in round.rated_goals()]
    first = answering_costs(Client(), token, rated)
    second = answering_costs(Client(), link_create(invitation=round.invitations.get(municipality__code="927")), rated)

    assert first[step][0] == second[step][0]
