"""Making a new round in the browser: blank, or copied from an earlier round (docs/decisions.md, "A2").

Both go the survey file's way — the data of a file, checked by `survey_definition_validate` and written by
`survey_import` — so that a round made here obeys the same rules as an imported one and always exports to a
file that imports back. A copy is the earlier round's file (`survey_export`) with a new code, title and
window and without deadline extensions; the file holds no answers, drafts, links, mails, excerpts or
narrative edits, so none are copied. Codes are kept, so that the two rounds compare goal by goal.
"""

import re
from datetime import date

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from arvio.lib.i18n import LANGUAGES
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.surveys.definition import FORMAT, SurveyFileError, survey_definition_validate
from arvio.surveys.models import Organizer, Round
from arvio.surveys.survey_export import survey_export
from arvio.surveys.survey_import import survey_import

# A blank round's scale: the five steps of the 2024 round (src/arvio/demo/kuntakysely-2024.yaml), in the
# survey file's own shape. Staff change it on the round's pages before the round opens.
DEFAULT_SCALE = {
    "options": [
        {
            "value": 5,
            "label": {"fi": "Erinomaisesti", "sv": "Utmärkt", "en": "Excellent"},
            "level": {"fi": "erinomaiseksi", "sv": "utmärkt", "en": "excellent"},
        },
        {
            "value": 4,
            "label": {"fi": "Hyvin", "sv": "Väl", "en": "Well"},
            "level": {"fi": "hyväksi", "sv": "väl", "en": "good"},
        },
        {
            "value": 3,
            "label": {"fi": "Kohtalaisesti", "sv": "Någorlunda", "en": "Moderately"},
            "level": {"fi": "kohtalaiseksi", "sv": "någorlunda", "en": "moderate"},
        },
        {
            "value": 2,
            "label": {"fi": "Heikosti", "sv": "Dåligt", "en": "Poorly"},
            "level": {"fi": "heikoksi", "sv": "dåligt", "en": "poor"},
        },
        {
            "value": 1,
            "label": {"fi": "Ei lainkaan", "sv": "Inte alls", "en": "Not at all"},
            "level": {"fi": "olemattomaksi", "sv": "inte alls", "en": "non-existent"},
        },
    ],
    "dont_know": {"fi": "En osaa sanoa", "sv": "Kan inte säga", "en": "Can't say"},
}

CODE_MAX = 100  # Round.code and the file's round.code
YEAR_IN_CODE = re.compile(r"(?:^|[-_])(?:19|20)[0-9]{2}(?:$|[-_])")


def round_code_suggest(*, title: str, opens_on: date | None) -> str:
    """A free code from the title and the year: "Kuntakysely" opening in 2026 → "kuntakysely-2026".

    A title that names a year of its own ("Kuntakysely 2026", opening in January 2027) keeps it alone.
    """
    base = slugify(title)[: CODE_MAX - 10].strip("-_") or "kierros"
    if opens_on and not YEAR_IN_CODE.search(base):
        base = f"{base}-{opens_on.year}"
    code, n = base, 1
    while Round.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def round_create_blank(
    *, organizer: Organizer, code: str, title: dict, opens_on: date, closes_on: date, by=None
) -> Round:
    """A new round of `organizer` with the default scale, an empty goal tree and no municipalities.

    `title` is {"fi": …, "sv": …, "en": …}. Raises SurveyFileError listing every problem.
    """
    data = {
        "format": FORMAT,
        "organizer": {"code": organizer.code, "name": _texts(organizer, "name")},
        "municipalities": [],
        "round": {"code": code, "title": _title(title), "opens_on": opens_on, "closes_on": closes_on},
        "scale": DEFAULT_SCALE,
        "documents": [],
        "invitations": [],
    }
    return _create(data, by=by, detail={"blank": True})


def round_copy(*, source: Round, code: str, title: dict, opens_on: date, closes_on: date, by=None) -> Round:
    """A new round with everything of `source` that its survey file holds, but a new code, title and window.

    The deadline extensions of `source` stay with it: they were granted for its window. Raises SurveyFileError
    listing every problem.
    """
    data = survey_export(round=source)
    data["round"] |= {"code": code, "title": _title(title), "opens_on": opens_on, "closes_on": closes_on}
    for invitation in data["invitations"]:
        invitation.pop("deadline_extended_to", None)
    return _create(data, by=by, detail={"copied_from": source.code})


def _create(data: dict, *, by, detail: dict) -> Round:
    survey_definition_validate(data)
    with transaction.atomic():
        # The importer would update a round with the same code; a new round must not touch an existing one.
        if Round.objects.select_for_update().filter(code=data["round"]["code"]).exists():
            raise SurveyFileError(
                ["round.code: " + _("{code} is already the code of a round").format(code=f'"{data["round"]["code"]}"')]
            )
        round = survey_import(source=data, by=by)
        record(action=AuditEntry.Action.ROUND_CREATE, by=by, round_code=round.code, detail=detail)
    return round


def _title(title: dict) -> dict:
    return {language: title.get(language, "") for language in LANGUAGES if title.get(language) or language != "en"}


def _texts(obj, field: str) -> dict:
    return {
        language: getattr(obj, f"{field}_{language}")
        for language in LANGUAGES
        if getattr(obj, f"{field}_{language}") or language != "en"
    }
