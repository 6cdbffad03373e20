"""Submitted responses for tests, written as the answer form would leave them."""

from datetime import datetime

from arvio.lib.dates import HELSINKI
from arvio.responses.models import Answer, Comment, Response
from arvio.surveys.models import Node, Question

# The test round (tests/factories.py) is open 6.11.–5.12.2024.
DURING_ROUND = datetime(2024, 11, 20, 10, 0, tzinfo=HELSINKI)
AFTER_ROUND = datetime(2024, 12, 10, 10, 0, tzinfo=HELSINKI)


def submit(invitation, *, at: datetime, values=None, comments=None, by="Kaisa Kunnanjohtaja", source="form"):
    """`values` maps goal codes to a value (None: can't say); goals left out are not answered."""
    response = Response.objects.create(
        invitation=invitation,
        version=1,
        draft_saved_at=at,
        submitted_at=at,
        submitted_by=by,
        submitted_version=1,
        submission_count=1,
        source=source,
    )
    for code, value in (values or {}).items():
        Answer.objects.create(response=response, node=Node.objects.get(round=invitation.round, code=code), value=value)
    for code, text in (comments or {}).items():
        Comment.objects.create(
            response=response, question=Question.objects.get(round=invitation.round, code=code), text=text
        )
    return response
