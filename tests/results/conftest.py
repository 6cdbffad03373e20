import io

import pytest
from django.core.management import call_command

from arvio.surveys.models import Round


@pytest.fixture
def demo_round(db) -> Round:
    """The county's 2024 round as `arvio demo` loads it: closed, six answers, the deck's three excerpts."""
    call_command("demo", "--no-publish", stdout=io.StringIO())
    return Round.objects.get(code="kuntakysely-2024")
