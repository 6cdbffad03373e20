"""Saving and submitting a municipality's answer (vastaus), and recording a submission.

Both of the answer form's workflows lock the invitation, read the clock inside
the transaction and check the response window there, so a save at 23:59:59 on
the closing day is judged by the same instant that writes it. Every refusal
raises before anything is written.

`submission_rows` is the rule of what a submission writes; `submission_record`
writes one (the form), and the importer (imports.py) writes many in bulk from it.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arvio.invitations.models import Invitation
from arvio.lib.dates import format_date
from arvio.lib.text import text_problem
from arvio.responses.models import DONT_KNOW, Answer, Comment, Response
from arvio.responses.receipt import send_receipt
from arvio.surveys.models import Node, Question
from arvio.surveys.window import WindowState

logger = logging.getLogger(__name__)

# Long enough for any real answer, short enough to keep a pasted book out of the report.
MAX_COMMENT_LENGTH = 10_000


class Refused(Exception):
    """A save or submission that must not happen; `message` tells the respondent why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class WindowNotOpen(Refused):
    pass


class ChangesNotAllowed(Refused):
    pass


@dataclass(frozen=True)
class FieldError:
    """`field` is the form field's name, or "" when the error belongs to no field shown."""

    field: str
    code: str
    message: str


class InvalidAnswers(Refused):
    def __init__(self, errors: list[FieldError]):
        super().__init__(_("Some answers could not be saved. Correct them and save again."))
        self.errors = errors


class Conflict(Refused):
    """The draft was saved by somebody else after the page this save comes from was built."""

    def __init__(self, *, response: Response, based_on_version: int):
        super().__init__(
            _("Somebody else saved these answers while you were editing them. Nothing of yours was saved yet.")
        )
        self.response = response
        self.current_version = response.version
        self.based_on_version = based_on_version


def draft_from_fields(data: dict, *, rated_codes: set[str], question_codes: set[str], scale_values: set[int]):
    """The draft a form's fields describe: `g-<goal>` holds "1".."5" or "eos", `q-<question>` a text.

    A value is a str, or the list of values a request sent for that name (which must be one). A
    rating is one of the scale's own values written in ASCII digits; a text is what
    lib.text.text_problem accepts. Other fields (the CSRF token, buttons) are ignored. Raises
    InvalidAnswers listing every bad field; it never raises anything else, whatever `data` holds.
    """
    ratings: dict[str, int | str] = {}
    comments: dict[str, str] = {}
    errors: list[FieldError] = []
    tampered = _("The form contained an answer to something this survey does not ask. Reload the page and try again.")
    scale = {str(value): value for value in scale_values}
    for name, raw in data.items():
        if not isinstance(name, str) or not name.startswith(("g-", "q-")):
            continue
        code = name[2:]
        if code not in (rated_codes if name.startswith("g-") else question_codes):
            errors.append(FieldError("", "tampered", tampered))
            continue
        if isinstance(raw, list | tuple):
            if len(raw) != 1:
                errors.append(
                    FieldError(
                        name, "repeated", _("This answer was sent more than once. Reload the page and try again.")
                    )
                )
                continue
            raw = raw[0]
        value = raw
        if not isinstance(value, str):
            errors.append(
                FieldError(name, "not_text", _("The answer could not be read. Reload the page and try again."))
            )
        elif name.startswith("g-"):
            if value == "":
                continue
            elif value == DONT_KNOW:
                ratings[code] = DONT_KNOW
            elif value in scale:
                ratings[code] = scale[value]
            else:
                errors.append(FieldError(name, "invalid_choice", _("Choose one of the options.")))
        elif len(value) > MAX_COMMENT_LENGTH:
            errors.append(
                FieldError(
                    name,
                    "too_long",
                    _("The answer is too long: at most %(limit)s characters, now %(length)s.")
                    % {"limit": MAX_COMMENT_LENGTH, "length": len(value)},
                )
            )
        elif (problem := text_problem(value)) is not None:
            errors.append(FieldError(name, "unstorable_character", problem))
        elif value.strip():
            comments[code] = value
    if errors:
        raise InvalidAnswers(errors)
    return {"ratings": ratings, "comments": comments}


def _check_window(invitation: Invitation, now) -> None:
    state = invitation.window_state(now)
    round = invitation.round
    if state is WindowState.NOT_YET_OPEN:
        raise WindowNotOpen(
            _("The survey opens on %(date)s. Nothing was saved.") % {"date": format_date(round.opens_on)}
        )
    if state is WindowState.CLOSED:
        raise WindowNotOpen(_("The response time has ended. Nothing was saved."))


def _check_changes_allowed(invitation: Invitation, response: Response | None) -> None:
    if response is not None and response.submitted_at is not None and not invitation.round.allow_changes_after_submit:
        raise ChangesNotAllowed(_("The answers have already been submitted and can no longer be changed."))


def _lock(invitation: Invitation) -> tuple[Invitation, Response | None]:
    # Only the invitation's row: locking the round would make every municipality wait for each other.
    # The municipality and the organizer come with it: the receipt tells them.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("round__organizer", "municipality")
        .get(pk=invitation.pk)
    )
    # The response in a query of its own, once the lock is held: on PostgreSQL a row joined to the
    # locked one would come from the snapshot taken before the wait, and a submission that committed
    # meanwhile would go unseen (tests/responses/test_submit.py, two simultaneous submissions).
    response = Response.objects.filter(invitation=invitation).first()
    if response is not None:
        response.invitation = invitation
    return invitation, response


def response_save_draft(*, invitation: Invitation, data: dict, based_on_version: int) -> Response:
    """Stores the form's fields as the draft, unless somebody saved a newer version meanwhile.

    `based_on_version` is the version the respondent's page was built from (0 before the first save).
    """
    round = invitation.round
    with transaction.atomic():
        invitation, response = _lock(invitation)
        now = timezone.now()
        _check_window(invitation, now)
        _check_changes_allowed(invitation, response)
        draft = draft_from_fields(
            data,
            rated_codes={node.code for node in round.rated_goals()},
            question_codes=set(round.questions.values_list("code", flat=True)),
            scale_values=set(round.scale.values_list("value", flat=True)),
        )
        current_version = response.version if response else 0
        if based_on_version != current_version:
            raise Conflict(response=response, based_on_version=based_on_version)
        if response is None:
            response = Response(invitation=invitation)
        response.draft = draft
        response.version = current_version + 1
        response.draft_saved_at = now
        response.save()
        return response


def response_submit(*, invitation: Invitation, based_on_version: int, submitted_by: str) -> Response:
    """Sends the draft of `based_on_version`: its ratings and texts become the Answer and Comment rows.

    Posting the same version again (a double click) changes nothing and returns the submitted response.
    """
    with transaction.atomic():
        invitation, response = _lock(invitation)
        if response is None:
            raise Refused(_("Save the answers before submitting them."))
        if response.submitted_at is not None and response.submitted_version == based_on_version:
            return response
        now = timezone.now()
        _check_window(invitation, now)
        _check_changes_allowed(invitation, response)
        if based_on_version != response.version:
            raise Conflict(response=response, based_on_version=based_on_version)

        nodes = {node.code: node for node in invitation.round.rated_goals()}
        questions = {question.code: question for question in invitation.round.questions.all()}
        submission_record(
            response=response,
            ratings={
                nodes[code]: None if value == DONT_KNOW else int(value)
                for code, value in response.draft.get("ratings", {}).items()
            },
            comments={questions[code]: text for code, text in response.draft.get("comments", {}).items()},
            submitted_at=now,
            submitted_by=submitted_by,
        )
        logger.info(
            "%s: answers submitted (version %s, submission %s)", invitation, response.version, response.submission_count
        )
        # Queued with the submission it reports; the mail worker sends it, so a mail server that is down
        # or silent never holds up the submission, and the receipt is never lost.
        send_receipt(response=response)
        return response


def submission_record(
    *,
    response: Response,
    ratings: dict[Node, int | None],
    comments: dict[Question, str],
    submitted_at: datetime,
    submitted_by: str,
    new_version: bool = False,
) -> Response:
    """Records a submission: `ratings` (None: can't say) and `comments` replace the Answer and Comment
    rows, the draft becomes what they stand for, and the response is submitted as that draft's version.

    With `new_version` the draft is a version newer than any open in a browser, saved at
    `submitted_at`, so that no stale save overwrites it (an import); without it, the draft's version
    is the one submitted (the form). The caller holds the invitation's lock. The rule itself is
    `submission_rows`, which the importer uses to write many submissions in bulk.
    """
    answers, texts = submission_rows(
        response=response,
        ratings=ratings,
        comments=comments,
        submitted_at=submitted_at,
        submitted_by=submitted_by,
        new_version=new_version,
    )
    response.save()
    response.answers.all().delete()
    response.comments.all().delete()
    Answer.objects.bulk_create(Answer(response=response, node=node, value=value) for node, value in answers)
    Comment.objects.bulk_create(Comment(response=response, question=question, text=text) for question, text in texts)
    return response


def submission_rows(
    *,
    response: Response,
    ratings: dict[Node, int | None],
    comments: dict[Question, str],
    submitted_at: datetime,
    submitted_by: str,
    new_version: bool = False,
) -> tuple[list[tuple[Node, int | None]], list[tuple[Question, str]]]:
    """The rule of a submission, without writing: sets the response's draft and submission fields (not
    saved) and returns what its Answer rows (goal, value) and Comment rows (question, text) hold,
    replacing its earlier ones.

    The draft holds a rating as the form does, an integer or "eos", and a text as given; the Comment
    rows hold the texts stripped, blank ones left out. Plain pairs, not model objects, so that an
    import of millions of answers writes them without building an object for each.
    """
    response.draft = {
        "ratings": {node.code: DONT_KNOW if value is None else value for node, value in ratings.items()},
        "comments": {question.code: text for question, text in comments.items()},
    }
    if new_version:
        response.version += 1
        response.draft_saved_at = submitted_at
    response.submitted_at = submitted_at
    response.submitted_by = submitted_by
    response.submitted_version = response.version
    response.submission_count += 1
    answers = list(ratings.items())
    texts = [(question, text.strip()) for question, text in comments.items() if text.strip()]
    return answers, texts


# The fields submission_rows sets: what a bulk write of submissions updates.
SUBMISSION_FIELDS = (
    "draft",
    "version",
    "draft_saved_at",
    "submitted_at",
    "submitted_by",
    "submitted_version",
    "submission_count",
)
