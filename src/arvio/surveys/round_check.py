"""The check before opening a round: what is still missing, each gap with the place that fixes it.

A pure function of the round's survey definition (`survey_export`, which also lists the invitations and
their contact people), today's date and the mail setup; the staff page (staff/round_editor.py) shows it
and turns each gap's `Fix` into a link.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arvio.lib.dates import format_date
from arvio.surveys.round_editing import tree_rows

MISSING = {
    "fi": lambda what: _("{what}: the Finnish text is missing").format(what=what),
    "sv": lambda what: _("{what}: the Swedish text is missing").format(what=what),
}
# Backends that keep mail on this machine: right for development, never for a round that is really sent.
LOCAL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": lambda: _("printed to the console"),
    "django.core.mail.backends.locmem.EmailBackend": lambda: _("kept in memory"),
    "django.core.mail.backends.filebased.EmailBackend": lambda: _("written to files"),
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DUMMY_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


@dataclass(frozen=True)
class Fix:
    """Where a gap is fixed: an editor page ("settings", "scale", "questions", "tree", "node", "invitation",
    "round"), the node's or municipality's code for the pages of one, and the field's id on the page."""

    page: str
    key: str = ""
    field: str = ""


@dataclass(frozen=True)
class Gap:
    message: str
    fix: Fix | None  # None: nothing on Arvio's pages fixes it (the server's configuration)


@dataclass
class CheckSection:
    title: str
    gaps: list[Gap] = field(default_factory=list)
    ok: str = ""  # what is in order, said when there is no gap

    @property
    def passed(self) -> bool:
        return not self.gaps


@dataclass(frozen=True)
class MailSetup:
    backend: str
    host: str
    debug: bool


def round_check(*, definition: dict, today: date, mail: MailSetup) -> list[CheckSection]:
    """Every section of the check, in the order staff would fix them."""
    return [
        _texts(definition),
        _rated_goals(definition),
        _contacts(definition),
        _mail(mail),
        _window(definition, today),
    ]


def round_check_gaps(sections: list[CheckSection]) -> int:
    return sum(len(section.gaps) for section in sections)


# Texts


def _texts(definition: dict) -> CheckSection:
    section = CheckSection(
        title=_("Texts in Finnish and Swedish"), ok=_("Every text of the round is written in Finnish and Swedish.")
    )
    info = definition.get("round") or {}
    settings_texts = {
        "title": (_("Title"), True),
        "report_title": (_("Report title"), False),
        "purpose": (_("Purpose"), False),
        "instructions": (_("Instructions"), False),
        "target_group": (_("Target group"), False),
    }
    for name, (what, required) in settings_texts.items():
        section.gaps += _text_gaps(
            info.get(name), what, required, lambda language, name=name: Fix("settings", "", f"{name}_{language}")
        )

    scale = definition.get("scale") or {}
    for i, option in enumerate(scale.get("options") or []):
        value = option.get("value")
        for name, what, required in (("label", _("label"), True), ("level", _("level word"), False)):
            section.gaps += _text_gaps(
                option.get(name),
                _("Scale step {value}: {what}").format(value=value, what=what),
                required,
                lambda language, i=i, name=name: Fix("scale", "", f"step-{i}-{name}_{language}"),
            )
    section.gaps += _text_gaps(
        scale.get("dont_know"),
        _("Scale: “can't say”"),
        True,
        lambda language: Fix("scale", "", f"dont_know_{language}"),
    )

    for i, question in enumerate(definition.get("questions") or []):
        section.gaps += _text_gaps(
            question.get("text"),
            _("Open question “{code}”").format(code=question.get("code")),
            True,
            lambda language, i=i: Fix("questions", "", f"question-{i}-text_{language}"),
        )

    node_texts = (("text", _("text"), True), ("label", _("short label"), False))
    node_texts += (("label_genitive", _("short label in the genitive"), False), ("heading", _("page heading"), False))
    for row in tree_rows(definition):
        for name, what, required in node_texts:
            section.gaps += _text_gaps(
                row.node.get(name),
                _("“{code}”: {what}").format(code=row.code, what=what),
                required,
                lambda language, code=row.code, name=name: Fix("node", code, f"{name}_{language}"),
            )
    return section


def _text_gaps(text, what: str, required: bool, fix) -> list[Gap]:
    """A gap for each of Finnish and Swedish that is missing: always for a required text, else once the other is written."""
    text = text if isinstance(text, dict) else {}
    if not required and not any(str(value or "").strip() for value in text.values()):
        return []
    return [
        Gap(MISSING[language](what), fix(language))
        for language in ("fi", "sv")
        if not str(text.get(language) or "").strip()
    ]


# The tree, the invitations, mail and the window


def _rated_goals(definition: dict) -> CheckSection:
    rated = [row for row in tree_rows(definition) if row.is_rated and row.key in ("goals", "subgoals")]
    section = CheckSection(
        title=_("Goals to rate"),
        ok=ngettext("{count} goal to rate.", "{count} goals to rate.", len(rated)).format(count=len(rated)),
    )
    if not rated:
        section.gaps.append(Gap(_("The goal tree has no goal to rate: add a goal."), Fix("tree")))
    return section


def _contacts(definition: dict) -> CheckSection:
    invitations = definition.get("invitations") or []
    section = CheckSection(
        title=_("Municipalities and contact people"),
        ok=_("Every invited municipality has at least one contact person."),
    )
    names = {
        municipality.get("code"): (municipality.get("name") or {}).get("fi") or municipality.get("code")
        for municipality in definition.get("municipalities") or []
    }
    if not invitations:
        section.gaps.append(Gap(_("No municipality is invited yet."), Fix("round")))
    for invitation in invitations:
        code = invitation.get("municipality")
        if not invitation.get("contacts"):
            section.gaps.append(
                Gap(
                    _("{municipality} has no contact person: nobody would get its invitation.").format(
                        municipality=names.get(code, code)
                    ),
                    Fix("invitation", code, "contacts"),
                )
            )
    return section


def _mail(mail: MailSetup) -> CheckSection:
    section = CheckSection(title=_("Mail server"))
    if mail.backend == SMTP_BACKEND:
        if mail.host:
            section.ok = _("Mail is sent through the SMTP server {host}.").format(host=mail.host)
        else:
            section.gaps.append(Gap(_("No SMTP server is set (EMAIL_HOST): tell the system's administrator."), None))
    elif mail.backend in LOCAL_BACKENDS:
        how = LOCAL_BACKENDS[mail.backend]()
        if mail.debug:
            section.ok = _(
                "Development: mail is {how}, not sent to anybody. Set EMAIL_HOST before a round is really sent."
            ).format(how=how)
        else:
            section.gaps.append(
                Gap(
                    _("Mail is {how}, not sent to anybody: tell the system's administrator to set EMAIL_HOST.").format(
                        how=how
                    ),
                    None,
                )
            )
    elif mail.backend == DUMMY_BACKEND:
        section.gaps.append(
            Gap(_("Mail is thrown away (the dummy backend): tell the system's administrator to set EMAIL_HOST."), None)
        )
    else:
        section.ok = _("Mail is sent through {backend}.").format(backend=mail.backend)
    return section


def _window(definition: dict, today: date) -> CheckSection:
    info = definition.get("round") or {}
    opens_on, closes_on = info.get("opens_on"), info.get("closes_on")
    section = CheckSection(
        title=_("Answering time"), ok=_("The answering time starts today or later and ends after it starts.")
    )
    if isinstance(opens_on, date) and opens_on < today:
        section.gaps.append(
            Gap(
                _("The opening day {day} has passed: choose today or a later day.").format(day=format_date(opens_on)),
                Fix("settings", "", "opens_on"),
            )
        )
    if isinstance(opens_on, date) and isinstance(closes_on, date) and closes_on <= opens_on:
        section.gaps.append(
            Gap(_("The closing day must come after the opening day."), Fix("settings", "", "closes_on"))
        )
    return section
