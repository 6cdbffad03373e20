"""Staff's curation of a round's results: the narrative as they edit it, and excerpts of open answers.

An excerpt (poiminta) quotes a municipality: every word of it must be the
municipality's own, in the order it wrote them. Staff may only leave things
out, marking each gap with "- -", so the check is simple: each piece between
the gaps must occur in the submitted answer, after the piece before it
(whitespace aside, so that line breaks may be joined or kept).
"""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from arvio.lib.i18n import LANGUAGES
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.responses.models import Comment, Response
from arvio.results.models import Excerpt, Narrative
from arvio.results.report import report_build
from arvio.surveys.models import Node, Question, Round

# "- -" as the seed writes it, and "– –" as Finnish typography does.
OMISSION = re.compile(r"- -|– –")
FINGERPRINT = re.compile(r"[0-9a-f]{64}")
QUOTED_PIECE_MAX = 80


def normalised(text: str) -> str:
    return " ".join(text.split())


def _cleaned(text: str) -> str:
    """Line breaks as \\n, no spaces at the ends of lines or of the text."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def passage_pieces(text: str) -> list[str]:
    """The parts of a passage between its omissions, whitespace-normalised."""
    return [normalised(piece) for piece in OMISSION.split(text) if piece.strip()]


def passage_problem(text: str, answer: str) -> str | None:
    """Why `text` is not `answer` shortened with "- -", or None when it is."""
    pieces = passage_pieces(text)
    if not pieces:
        return _("Write the passage: the words of the answer to quote.")
    answer = normalised(answer)
    start = 0
    for piece in pieces:
        found = answer.find(piece, start)
        if found < 0:
            if piece in answer:
                return _(
                    "The parts of the passage must keep the order of the answer: “%(piece)s” comes earlier in it."
                ) % {"piece": _shortened(piece)}
            return _(
                "The passage must quote the answer word for word, leaving things out only with “- -”. "
                "These words are not in the answer: “%(piece)s”"
            ) % {"piece": _shortened(piece)}
        start = found + len(piece)
    return None


def _shortened(piece: str) -> str:
    return piece if len(piece) <= QUOTED_PIECE_MAX else piece[: QUOTED_PIECE_MAX - 1].rstrip() + "…"


def answer_text(response: Response, question: Question | None) -> str:
    """The submitted answer an excerpt quotes: to its question, or to any question if that is gone."""
    comments = Comment.objects.filter(response=response)
    if question is not None:
        comments = comments.filter(question=question)
    return "\n\n".join(comments.order_by("question__order").values_list("text", flat=True))


def _check_goals(round: Round, goals: Iterable[Node]) -> list[Node]:
    goals = list(goals)
    if any(goal.round_id != round.pk for goal in goals):
        raise ValidationError({"goals": _("Choose goals of this round.")})
    return goals


def _check_passage(text: str, answer: str) -> str:
    if not answer:
        raise ValidationError(_("The municipality has not submitted an answer to this question."))
    problem = passage_problem(text, answer)
    if problem:
        raise ValidationError({"text": problem})
    return _cleaned(text)


def excerpt_create(
    *, round: Round, response: Response, question: Question, text: str, by, goals: Iterable[Node] = ()
) -> Excerpt:
    """A passage of a submitted answer for the report, last in the order. Raises ValidationError."""
    if response.invitation.round_id != round.pk or response.submitted_at is None:
        raise ValidationError(_("Excerpts are taken from this round's submitted answers only."))
    if question.round_id != round.pk:
        raise ValidationError(_("The question is not one of this round's."))
    text = _check_passage(text, answer_text(response, question))
    goals = _check_goals(round, goals)
    with transaction.atomic():
        # Two staff adding at once must not take the same place.
        Round.objects.select_for_update().filter(pk=round.pk).first()
        last = round.excerpts.aggregate(last=Max("order"))["last"] or 0
        excerpt = Excerpt.objects.create(
            round=round, response=response, question=question, text=text, order=last + 1, created_by=by
        )
        excerpt.goals.set(goals)
        record(action=AuditEntry.Action.EXCERPT_ADD, by=by, detail={"excerpt": excerpt.pk}, **_codes(excerpt))
    return excerpt


def excerpt_update(
    *,
    excerpt: Excerpt,
    text: str,
    goals: Iterable[Node] = (),
    by=None,
    language: str | None = None,
    translation: str | None = None,
) -> Excerpt:
    """A new wording of the passage (still the answer's own words), its goals, and where given the language
    it is written in ("" = its municipality's) and its translation into the other. Raises ValidationError."""
    excerpt.text = _check_passage(text, answer_text(excerpt.response, excerpt.question))
    goals = _check_goals(excerpt.round, goals)
    fields = ["text", "updated_at"]
    if language is not None:
        if language not in ("", "fi", "sv"):
            raise ValidationError({"language": _("Choose Finnish or Swedish.")})
        excerpt.language = language
        fields.append("language")
    if translation is not None:
        excerpt.translation = _cleaned(translation)
        fields.append("translation")
    with transaction.atomic():
        excerpt.save(update_fields=fields)
        excerpt.goals.set(goals)
        record(action=AuditEntry.Action.EXCERPT_EDIT, by=by, detail={"excerpt": excerpt.pk}, **_codes(excerpt))
    return excerpt


@transaction.atomic
def excerpt_move(*, excerpt: Excerpt, up: bool, by=None) -> None:
    """Swaps the excerpt with the one before (up) or after it; the first stays first, the last last."""
    excerpts = list(Excerpt.objects.select_for_update().filter(round_id=excerpt.round_id).order_by("order", "pk"))
    position = next(i for i, other in enumerate(excerpts) if other.pk == excerpt.pk)
    other = position - 1 if up else position + 1
    if 0 <= other < len(excerpts):
        excerpts[position], excerpts[other] = excerpts[other], excerpts[position]
    # Numbered afresh, so that equal orders (from the admin or an old import) cannot stall a move.
    for order, item in enumerate(excerpts, start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
    record(action=AuditEntry.Action.EXCERPT_MOVE, by=by, detail={"excerpt": excerpt.pk, "up": up}, **_codes(excerpt))


@transaction.atomic
def excerpt_delete(*, excerpt: Excerpt, by=None) -> None:
    """Takes the passage out of the report; the answer it quoted stays as it was."""
    record(action=AuditEntry.Action.EXCERPT_DELETE, by=by, detail={"excerpt": excerpt.pk}, **_codes(excerpt))
    excerpt.delete()


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"not a language of Arvio: {language!r}")


@transaction.atomic
def narrative_save(*, round: Round, language: str, text: str, by, numbers: str | None = None) -> Narrative:
    """Stores staff's text of the narrative in one language, with the numbers it was written against.

    `numbers` is the fingerprint of the numbers the editor saw (Report.narrative_numbers); by default
    the current ones. When the results change afterwards, the report says the text may be out of date.
    """
    _check_language(language)
    text = _cleaned(text)
    if not text:
        raise ValidationError({"text": _("Write the text, or go back to the draft from the numbers.")})
    if numbers is None or not FINGERPRINT.fullmatch(numbers):
        numbers = report_build(round, language=language).narrative_numbers
    narrative, _created = Narrative.objects.update_or_create(
        round=round, language=language, defaults={"text": text, "numbers": numbers, "edited_by": by}
    )
    record(action=AuditEntry.Action.NARRATIVE_EDIT, by=by, round_code=round.code, detail={"language": language})
    return narrative


@transaction.atomic
def narrative_reset(*, round: Round, language: str, by=None) -> None:
    """Back to the draft from the numbers: the report follows the numbers again."""
    _check_language(language)
    Narrative.objects.filter(round=round, language=language).delete()
    record(action=AuditEntry.Action.NARRATIVE_RESET, by=by, round_code=round.code, detail={"language": language})


def _codes(excerpt: Excerpt) -> dict:
    """What an audit entry names an excerpt's round and municipality by."""
    return {"round_code": excerpt.round.code, "municipality_code": excerpt.response.invitation.municipality.code}
