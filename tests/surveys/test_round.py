"""The round's own rules."""

import pytest

from arvio.responses.models import Response
from tests.factories import make_round

pytestmark = pytest.mark.django_db


def test_its_tree_is_not_frozen_while_nobody_has_answered(round):
    assert round.invitations.exists()
    assert not round.tree_is_frozen


def test_its_tree_is_frozen_once_any_municipality_has_a_response(round):
    Response.objects.create(invitation=round.invitations.last())

    assert round.tree_is_frozen


def test_a_response_to_another_round_does_not_freeze_it(round):
    other = make_round(code="toinen")
    Response.objects.create(invitation=other.invitations.first())

    assert other.tree_is_frozen
    assert not round.tree_is_frozen
