"""The audit log's page and its CSV download, for evaluation staff; and recording what staff read.

The log is read only: no view here changes or deletes an entry (records/models.py refuses it anyway).
"""

import csv
import io
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from arvio.lib.dates import HELSINKI
from arvio.records.models import AuditEntry
from arvio.records.selectors import NO_USER, entries_filtered, entry_choices
from arvio.records.services import record
from arvio.results.formats.csv_format import FORMULA_START
from arvio.staff.access import managed_organizers_for_user, may_read_records, records_for_user
from arvio.surveys.models import Municipality, Round

PAGE_SIZE = 50

# How the page names what an entry's detail holds; a key not listed shows as it is.
DETAIL_LABELS = {
    "until": gettext_lazy("until"),
    "since": gettext_lazy("from"),
    "round": gettext_lazy("round"),
    "municipality": gettext_lazy("municipality"),
    "action": gettext_lazy("action"),
    "user": gettext_lazy("user"),
    "excerpt": gettext_lazy("excerpt"),
    "up": gettext_lazy("up"),
    "language": gettext_lazy("language"),
    "file": gettext_lazy("file"),
    "row": gettext_lazy("row"),
    "format": gettext_lazy("format"),
    "options": gettext_lazy("options"),
    "answers": gettext_lazy("with each municipality's answers"),
    "page": gettext_lazy("page"),
    "filters": gettext_lazy("filters"),
    "rows": gettext_lazy("rows"),
    "via": gettext_lazy("via"),
    "object": gettext_lazy("object"),
    "changes": gettext_lazy("changes"),
    "rounds": gettext_lazy("rounds"),
    "contacts": gettext_lazy("contact people"),
    "submitters": gettext_lazy("submitters' names"),
    "mail_addresses": gettext_lazy("mail addresses"),
    "sessions": gettext_lazy("expired sessions"),
    "login_records": gettext_lazy("login records"),
    "audit_entries": gettext_lazy("audit entries"),
    "accounts": gettext_lazy("accounts"),
    "email_sha256": gettext_lazy("email (SHA-256)"),
    "organizer": gettext_lazy("organizer"),
    "role": pgettext_lazy("membership", "role"),
    "before": gettext_lazy("before"),
    "new": gettext_lazy("new account"),
    "sessions_ended": gettext_lazy("sessions ended"),
    "account_mails": gettext_lazy("mail to staff accounts"),
}


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordsFilterForm(forms.Form):
    round = forms.ChoiceField(label=gettext_lazy("Round"), required=False)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    user = forms.ChoiceField(label=gettext_lazy("User"), required=False)
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=_date_input(),
        error_messages={"invalid": gettext_lazy("Enter the first day as a date, for example 2024-11-06.")},
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=_date_input(),
        error_messages={"invalid": gettext_lazy("Enter the last day as a date, for example 2024-12-05.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The part of the log this user reads (access.records_for_user), and the choices it holds.
        self.visible = records_for_user(user, AuditEntry.objects.all())
        found = entry_choices(self.visible)
        everything = [("", _("All"))]
        own_rounds = Round.objects.filter(organizer__in=managed_organizers_for_user(user))
        rounds = sorted(set(found["round_code"]) | set(own_rounds.values_list("code", flat=True)))
        self.fields["round"].choices = everything + [(code, code) for code in rounds]
        names = {m.code: f"{m.tr('name')} ({m.code})" for m in Municipality.objects.all()}
        codes = sorted(set(found["municipality_code"]) | set(names), key=lambda code: names.get(code, code))
        self.fields["municipality"].choices = everything + [(code, names.get(code, code)) for code in codes]
        self.fields["action"].choices = everything + list(AuditEntry.Action.choices)
        self.fields["user"].choices = (
            everything + [(name, name) for name in found["username"]] + [(NO_USER, _("Commands and scheduled tasks"))]
        )

    def full_clean(self):
        super().full_clean()
        # A field's error is announced with it (WCAG 3.3.1): the widget names the paragraph that holds it.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-error"

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise ValidationError({"until": _("The last day cannot be before the first day.")})
        return cleaned

    def entries(self):
        data = self.cleaned_data
        return entries_filtered(
            entries=self.visible,
            round_code=data["round"],
            municipality_code=data["municipality"],
            action=data["action"],
            username=data["user"],
            since=data["since"],
            until=data["until"],
        )

    def given(self) -> dict:
        """The filters given, as text, for the download's own audit entry."""
        return {name: str(value) for name, value in self.cleaned_data.items() if value}


def _form_for_user(request) -> RecordsFilterForm:
    if not may_read_records(request.user):
        raise PermissionDenied
    # Unbound without filters: every entry; bound (and checked) as soon as any filter or page is given.
    return RecordsFilterForm(request.GET or None, user=request.user)


def detail_text(entry: AuditEntry) -> str:
    parts = []
    for key, value in (entry.detail or {}).items():
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        parts.append(f"{DETAIL_LABELS.get(key, key)}: {value}")
    return "; ".join(parts)


@login_required
@require_safe
def records_page(request):
    form = _form_for_user(request)
    if form.is_bound and not form.is_valid():
        return render(request, "staff/records.html", {"form": form, "page": None}, status=400)
    entries = form.entries() if form.is_bound else entries_filtered(entries=form.visible)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, detail_text(entry)) for entry in page.object_list]
    return render(request, "staff/records.html", {"form": form, "page": page, "rows": rows})


@login_required
@require_safe
def records_csv(request):
    form = _form_for_user(request)
    if form.is_bound and not form.is_valid():
        problems = [
            f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
            for name, errors in form.errors.items()
        ]
        return HttpResponse("\n".join(problems), status=400, content_type="text/plain; charset=utf-8")
    entries = form.entries() if form.is_bound else entries_filtered(entries=form.visible)
    language = translation.get_language()
    text = io.StringIO()
    writer = csv.writer(text, delimiter="," if language == "en" else ";")
    writer.writerow(
        [
            _("When"),
            _("Action"),
            _("Action code"),
            _("User"),
            _("User id"),
            _("System account"),
            _("Round"),
            _("Municipality"),
            _("Address"),
            _("Detail"),
        ]
    )
    count = 0
    for entry in entries.iterator():
        count += 1
        writer.writerow(
            [
                _safe(cell)
                for cell in (
                    entry.at.astimezone(HELSINKI).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.get_action_display(),
                    entry.action,
                    entry.username,
                    "" if entry.user_id is None else str(entry.user_id),
                    entry.os_user,
                    entry.round_code,
                    entry.municipality_code,
                    entry.address or "",
                    json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else "",
                )
            ]
        )
    filters = form.given() if form.is_bound else {}
    record(action=AuditEntry.Action.RECORDS_EXPORT, by=request.user, detail={"rows": count, **filters})
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().astimezone(HELSINKI).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(True, f"arvio-audit-log-{stamp}.csv")
    return response


def _safe(cell: str) -> str:
    """A text a spreadsheet would run as a formula gets a leading "'" (as in the report's CSV)."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def answers_viewed(request, *, round: Round, municipality_code: str = "", page: str) -> None:
    """Records that the user was shown municipalities' own answers: one municipality's, or all of them."""
    record(
        action=AuditEntry.Action.RESPONSE_VIEW,
        by=request.user,
        round_code=round.code,
        municipality_code=municipality_code,
        detail={"page": page},
    )
