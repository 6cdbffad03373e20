"""A new round, blank or copied from an earlier one: the staff's page for `surveys/round_new.py`."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from arvio.lib.dates import format_date, local_date
from arvio.lib.text import SingleValues, TextField
from arvio.staff.access import managed_organizers_for_user
from arvio.staff.roles import can_manage
from arvio.surveys.definition import SHORT_TEXT_MAX, SLUG, SurveyFileError
from arvio.surveys.models import Round
from arvio.surveys.round_new import CODE_MAX, round_code_suggest, round_copy, round_create_blank

BLANK, COPY = "blank", "copy"
# A round's window is weeks long; a year is more than any survey needs, and a typo of the year stays visible.
MAX_WINDOW = timedelta(days=366)
MAX_LEAD = timedelta(days=3 * 366)
# Codes that the staff's addresses take for pages of their own: /staff/rounds/new/.
RESERVED_CODES = frozenset({"new"})


def rounds_to_copy(user):
    """The rounds `user` may copy from: those of the organizers it is evaluation staff of, since the copy
    belongs to the organizer of the round copied."""
    return Round.objects.filter(organizer__in=managed_organizers_for_user(user)).select_related("organizer")


class RoundNewForm(SingleValues, forms.Form):
    start = forms.ChoiceField(
        label=gettext_lazy("Start from"),
        choices=[(COPY, gettext_lazy("A copy of an earlier round")), (BLANK, gettext_lazy("A blank round"))],
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(label=gettext_lazy("Round to copy"), required=False)
    organizer = forms.ChoiceField(label=gettext_lazy("Organizer"), required=False)
    title_fi = TextField(label=gettext_lazy("Title in Finnish"), max_length=SHORT_TEXT_MAX)
    title_sv = TextField(label=gettext_lazy("Title in Swedish"), max_length=SHORT_TEXT_MAX)
    title_en = TextField(label=gettext_lazy("Title in English"), max_length=SHORT_TEXT_MAX, required=False)
    opens_on = forms.DateField(
        label=gettext_lazy("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    code = TextField(label=gettext_lazy("Code"), max_length=CODE_MAX, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {round.code: round for round in rounds_to_copy(user)}
        self.fields["source"].choices = [("", "–")] + [
            (code, f"{round.tr('title')} ({code})") for code, round in self.rounds.items()
        ]
        self.organizers = {organizer.code: organizer for organizer in managed_organizers_for_user(user)}
        self.fields["organizer"].choices = [(code, organizer.tr("name")) for code, organizer in self.organizers.items()]
        if not self.rounds:
            self.fields["start"].choices = [(BLANK, gettext_lazy("A blank round"))]
        self.initial.setdefault("start", COPY if self.rounds else BLANK)
        if len(self.organizers) == 1:
            self.initial.setdefault("organizer", next(iter(self.organizers)))

    @property
    def asks_organizer(self) -> bool:
        """A blank round names its organizer only where the user has a choice; a copy keeps the earlier one's."""
        return len(self.organizers) > 1

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code and not SLUG.fullmatch(code):
            raise ValidationError(_("A code may hold only lower-case letters a–z, digits, - and _."))
        if code in RESERVED_CODES:
            raise ValidationError(_("The code %(code)s is reserved for Arvio's own pages."), params={"code": code})
        if code and Round.objects.filter(code=code).exists():
            raise ValidationError(_("Another round already has the code %(code)s."), params={"code": code})
        return code

    def clean_opens_on(self):
        opens_on = self.cleaned_data["opens_on"]
        today = local_date(timezone.now())
        if opens_on < today:
            raise ValidationError(
                _("A new round cannot open in the past: choose today, %(day)s, or later."),
                params={"day": format_date(today)},
            )
        if opens_on > today + MAX_LEAD:
            raise ValidationError(
                _("A new round can open at most three years from today, by %(day)s."),
                params={"day": format_date(today + MAX_LEAD)},
            )
        return opens_on

    def clean(self):
        data = super().clean()
        start = data.get("start")
        if start == COPY and not data.get("source"):
            self.add_error("source", _("Choose the round to copy."))
        if start == COPY and data.get("source") and data["source"] not in self.rounds:
            self.add_error("source", _("Choose the round to copy."))
        if start == BLANK:
            organizer = data.get("organizer") or (next(iter(self.organizers)) if len(self.organizers) == 1 else "")
            if not self.organizers:
                self.add_error("start", _("There is no organizer for a blank round: copy an earlier round instead."))
            elif organizer not in self.organizers:
                self.add_error("organizer", _("Choose the organizer of the round."))
            else:
                data["organizer"] = organizer
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on:
            if closes_on < opens_on:
                self.add_error("closes_on", _("The round cannot close before it opens."))
            elif closes_on - opens_on > MAX_WINDOW:
                self.add_error("closes_on", _("The answering time can be at most a year long."))
        return data

    def title(self) -> dict:
        return {language: self.cleaned_data[f"title_{language}"].strip() for language in ("fi", "sv", "en")}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_new(request):
    if not can_manage(request.user):
        raise PermissionDenied
    form = RoundNewForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=_initial(request)
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        title = form.title()
        code = data["code"] or round_code_suggest(title=title["fi"], opens_on=data["opens_on"])
        window = {"opens_on": data["opens_on"], "closes_on": data["closes_on"]}
        try:
            if data["start"] == COPY:
                source = form.rounds[data["source"]]
                round = round_copy(source=source, code=code, title=title, by=request.user, **window)
                message = _("Round “%(title)s” was made as a copy of “%(source)s”. Check its texts and window.")
                message %= {"title": round.tr("title"), "source": source.tr("title")}
            else:
                organizer = form.organizers[data["organizer"]]
                round = round_create_blank(organizer=organizer, code=code, title=title, by=request.user, **window)
                message = _("Round “%(title)s” was made. Add its goals, municipalities and contact people.")
                message %= {"title": round.tr("title")}
        except SurveyFileError as error:
            problems = error.errors
        else:
            messages.success(request, message)
            return redirect("staff:round", round.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "staff/round_new.html",
        {"form": form, "problems": problems, "code_example": _code_example(form)},
        status=status,
    )


def _initial(request) -> dict:
    """?copy=<code> from an earlier round's page preselects it."""
    source = request.GET.get("copy")
    return {"start": COPY, "source": source} if isinstance(source, str) and SLUG.fullmatch(source) else {}


def _code_example(form) -> str:
    """What an empty code becomes, shown as the field's hint."""
    title = form.data.get("title_fi", "") if form.is_bound else ""
    opens_on = form.cleaned_data.get("opens_on") if form.is_bound and hasattr(form, "cleaned_data") else None
    year_day = opens_on or local_date(timezone.now())
    if not isinstance(title, str) or not title.strip() or len(title) > SHORT_TEXT_MAX:
        title = _("Municipal survey")
    return round_code_suggest(title=title, opens_on=year_day)
