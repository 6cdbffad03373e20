from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from arvio.invitations.links import link_create
from arvio.lib.dates import HELSINKI

# Two weeks into make_round's window (6.11.–5.12.2024).
DURING_ROUND = datetime(2024, 11, 20, 12, 34, tzinfo=HELSINKI)


@pytest.fixture
def during_round():
    with time_machine.travel(DURING_ROUND, tick=False) as traveller:
        yield traveller


@pytest.fixture
def kauniainen(round):
    return round.invitations.get(municipality__code="235")


@pytest.fixture
def token(kauniainen):
    return link_create(invitation=kauniainen)


def open_link(client, token, language="en"):
    """Opens the link; the people below read the interface in English, so that tests read the msgids."""
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/a/{token}/")
    assert response.status_code == 302
    return client


@pytest.fixture
def kaisa(client, token, during_round):
    """Kaisa, Kauniainen's city manager, has opened her municipality's link."""
    return open_link(client, token)


@pytest.fixture
def kalle(token, during_round):
    """Kalle, Kaisa's colleague, has opened the same link in a browser of his own."""
    return open_link(Client(), token)


def answers(version, **fields):
    """The answer form's POST data; pass fields as g_yhteistyo_1="4", q_muuta="text"."""
    data = {"version": str(version), "action": "save"}
    for name, value in fields.items():
        prefix, code = name.split("_", 1)
        data[f"{prefix}-{code.replace('_', '-')}"] = value
    return data
