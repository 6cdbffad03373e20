import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, the language of the message ids."""
    with translation.override("en"):
        yield
