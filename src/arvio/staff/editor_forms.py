"""The forms of the round's editors (round_editor.py).

They only read what was typed (texts, numbers, dates, checkboxes) and turn it into the survey file's
data; what the round may hold — lengths, codes, required Finnish and Swedish, what is frozen once a
municipality has answered — is the survey file's own rule (surveys/definition.py, surveys/survey_import.py),
applied by `round_change`, whose messages come back under these fields.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from arvio.lib.text import SingleValues, TextField, WholeNumberField
from arvio.surveys.round_editing import text_value

LANGUAGE_LABELS = {"fi": _("in Finnish"), "sv": _("in Swedish"), "en": _("in English, optional")}
CODE_HELP = _(
    "Lower-case letters, digits, - and _. The code stays the same from round to round, so that rounds compare goal "
    "by goal."
)


def add_text_fields(form: forms.Form, name: str, label, *, long: bool = False, disabled: bool = False, rows: int = 3):
    """`<name>_fi`, `<name>_sv`, `<name>_en`: one text in each language, labelled "Title (Finnish)"."""
    form.text_legends = {**getattr(form, "text_legends", {}), name: label}
    for language, language_label in LANGUAGE_LABELS.items():
        form.fields[f"{name}_{language}"] = TextField(
            label=format_lazy("{} ({})", label, language_label),
            required=False,
            strip=False,
            disabled=disabled,
            widget=forms.Textarea(attrs={"rows": rows, "lang": language})
            if long
            else forms.TextInput(attrs={"lang": language}),
        )


def text_initial(text: dict | None, name: str) -> dict:
    text = text or {}
    return {f"{name}_{language}": text.get(language, "") for language in LANGUAGE_LABELS}


class EditorForm(SingleValues, forms.Form):
    """A form whose texts come in three languages; `text_groups` lists them for the template."""

    text_groups: list[str] = []

    def text(self, name: str, *, required: bool = False) -> dict | None:
        return text_value(self.cleaned_data, name, required=required)

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each text of the form: its name and its field in each language."""
        return [
            (self.text_legends[name], [self[f"{name}_{language}"] for language in LANGUAGE_LABELS])
            for name in self.text_groups
        ]

    def group(self, name: str) -> tuple[str, list[forms.BoundField]]:
        return self.text_legends[name], [self[f"{name}_{language}"] for language in LANGUAGE_LABELS]

    def describe(self) -> "EditorForm":
        """Ties each field to its hint and its errors for assistive technology; call once the errors are in."""
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-hint")
            if bound.errors:
                described.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
        return self


# The round's settings


class SettingsForm(EditorForm):
    text_groups = ["title", "report_title", "purpose", "instructions", "target_group"]

    opens_on = forms.DateField(
        label=_("Opens on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        help_text=_("The closing day counts to its end, Helsinki time."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    allow_changes_after_submit = forms.BooleanField(
        label=_("Municipalities may change their submitted answers until the round closes"), required=False
    )
    reminder_interval_days = WholeNumberField(
        label=_("Days between reminders"),
        help_text=_("From 1 to 365."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    narrative_strongest = WholeNumberField(
        label=_("Strongest areas named in the drafted narrative"),
        help_text=_("From 0 to 50."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    narrative_weakest = WholeNumberField(
        label=_("Weakest areas named in the drafted narrative"),
        help_text=_("From 0 to 50."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    translations_unofficial = forms.BooleanField(
        label=_("The Swedish texts are unofficial translations"),
        help_text=_("The report says so until the county's translators have confirmed them."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_text_fields(self, "title", _("Title"))
        add_text_fields(self, "report_title", _("Report title"))
        add_text_fields(self, "purpose", _("Purpose"), long=True, rows=5)
        add_text_fields(self, "instructions", _("Instructions"), long=True, rows=5)
        add_text_fields(self, "target_group", _("Target group"))
        # The texts first, in the order of the page.
        self.order_fields([f"{name}_{language}" for name in self.text_groups for language in LANGUAGE_LABELS])

    @staticmethod
    def initial_from(data: dict) -> dict:
        info = data["round"]
        initial = {}
        for name in SettingsForm.text_groups:
            initial |= text_initial(info.get(name), name)
        return initial | {
            "opens_on": info["opens_on"],
            "closes_on": info["closes_on"],
            "allow_changes_after_submit": info["allow_changes_after_submit"],
            "reminder_interval_days": info["reminder_interval_days"],
            "narrative_strongest": info["narrative"]["strongest"],
            "narrative_weakest": info["narrative"]["weakest"],
            "translations_unofficial": info["translations_unofficial"],
        }

    def apply(self, data: dict) -> dict:
        info = data["round"]
        for name in self.text_groups:
            value = self.text(name, required=name == "title")
            if value is None:
                info.pop(name, None)
            else:
                info[name] = value
        for name in ("opens_on", "closes_on", "allow_changes_after_submit", "reminder_interval_days"):
            info[name] = self.cleaned_data[name]
        info["translations_unofficial"] = self.cleaned_data["translations_unofficial"]
        info["narrative"] = {
            "strongest": self.cleaned_data["narrative_strongest"],
            "weakest": self.cleaned_data["narrative_weakest"],
        }
        return data

    @staticmethod
    def field_map() -> dict:
        fields = {("round", name): name for name in ("opens_on", "closes_on", "allow_changes_after_submit")}
        fields |= {
            ("round", "reminder_interval_days"): "reminder_interval_days",
            ("round", "translations_unofficial"): "translations_unofficial",
            ("round", "narrative", "strongest"): "narrative_strongest",
            ("round", "narrative", "weakest"): "narrative_weakest",
            # An extended deadline before a new closing day: the closing day is what was changed.
            ("invitations",): "closes_on",
        }
        for name in SettingsForm.text_groups:
            fields[("round", name)] = f"{name}_fi"
            for language in LANGUAGE_LABELS:
                fields[("round", name, language)] = f"{name}_{language}"
        return fields


# The scale


class ScaleStepForm(EditorForm):
    text_groups = ["label", "level"]

    value = WholeNumberField(
        label=_("Value"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4})
    )

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        add_text_fields(self, "label", _("Label"), disabled=frozen)
        add_text_fields(self, "level", _("Level word in the narrative"))
        self.fields["value"].disabled = frozen

    def is_blank(self) -> bool:
        return self.cleaned_data.get("value") is None and not any(
            (self.cleaned_data.get(f"{name}_{language}") or "").strip()
            for name in self.text_groups
            for language in LANGUAGE_LABELS
        )

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank() and cleaned.get("value") is None and "value" not in self.errors:
            self.add_error("value", ValidationError(_("Write the step's value, a whole number."), code="required"))
        return cleaned

    def step(self) -> dict:
        step = {"value": self.cleaned_data["value"], "label": self.text("label", required=True)}
        if (level := self.text("level")) is not None:
            step["level"] = level
        return step


class DontKnowForm(EditorForm):
    text_groups = ["dont_know"]

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        add_text_fields(self, "dont_know", _("“Can't say”"), disabled=frozen)


class RemovableFormSet(forms.BaseFormSet):
    """A formset whose "delete" box says what it does."""

    remove_label = _("Remove")

    def get_form_kwargs(self, index):
        # The empty row for a new one is checked too (a blank one is skipped later): Django would skip an
        # unchanged extra row without a look, and so let a field sent twice through.
        return {"empty_permitted": False}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.remove_label


class BaseStepFormSet(RemovableFormSet):
    remove_label = _("Remove this step")

    def __init__(self, *args, frozen: bool = False, **kwargs):
        self.frozen = frozen
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "frozen": self.frozen}


class BaseQuestionFormSet(RemovableFormSet):
    remove_label = _("Remove this question")


ScaleStepFormSet = forms.formset_factory(
    ScaleStepForm, formset=BaseStepFormSet, extra=1, can_delete=True, max_num=20, absolute_max=20, validate_max=True
)
FrozenScaleStepFormSet = forms.formset_factory(
    ScaleStepForm, formset=BaseStepFormSet, extra=0, max_num=20, absolute_max=20, validate_max=True
)


def scale_initial(data: dict) -> list[dict]:
    return [
        {"value": option["value"]}
        | text_initial(option.get("label"), "label")
        | text_initial(option.get("level"), "level")
        for option in data["scale"]["options"]
    ]


def scale_field_map(kept: list[int]) -> dict:
    """The data's scale.options[i] is the formset's form kept[i]."""
    fields: dict = {("scale", "options"): None, ("scale", "dont_know"): "dont_know_fi"}
    for language in LANGUAGE_LABELS:
        fields[("scale", "dont_know", language)] = f"dont_know_{language}"
    for i, form_index in enumerate(kept):
        prefix = f"step-{form_index}-"
        fields[("scale", "options", i)] = f"{prefix}value"
        fields[("scale", "options", i, "value")] = f"{prefix}value"
        for name in ("label", "level"):
            fields[("scale", "options", i, name)] = f"{prefix}{name}_fi"
            for language in LANGUAGE_LABELS:
                fields[("scale", "options", i, name, language)] = f"{prefix}{name}_{language}"
    return fields


# Open questions


class QuestionForm(EditorForm):
    text_groups = ["text"]

    code = TextField(label=_("Code"), required=False, help_text=CODE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_text_fields(self, "text", _("Question"), long=True, rows=2)

    def is_blank(self) -> bool:
        return not any((self.cleaned_data.get(name) or "").strip() for name in ["code", *self.fields_of("text")])

    def fields_of(self, name: str) -> list[str]:
        return [f"{name}_{language}" for language in LANGUAGE_LABELS]

    def question(self, taken: set[str]) -> dict:
        code = (self.cleaned_data.get("code") or "").strip() or suggest_code(self.cleaned_data.get("text_fi"), taken)
        return {"code": code, "text": self.text("text", required=True)}


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=1,
    can_delete=True,
    max_num=100,
    absolute_max=100,
    validate_max=True,
)


def questions_initial(data: dict) -> list[dict]:
    return [
        {"code": question["code"]} | text_initial(question.get("text"), "text")
        for question in data.get("questions") or []
    ]


def questions_field_map(kept: list[int]) -> dict:
    fields: dict = {("questions",): None}
    for i, form_index in enumerate(kept):
        prefix = f"question-{form_index}-"
        fields[("questions", i)] = f"{prefix}code"
        fields[("questions", i, "code")] = f"{prefix}code"
        fields[("questions", i, "text")] = f"{prefix}text_fi"
        for language in LANGUAGE_LABELS:
            fields[("questions", i, "text", language)] = f"{prefix}text_{language}"
    return fields


# The goal tree's nodes


NODE_TEXTS = ["text", "label", "label_genitive", "heading"]


class NodeForm(EditorForm):
    """A node's code, texts and layout; once the round has answers, its code and text are shown, not edited."""

    text_groups = NODE_TEXTS

    code = TextField(label=_("Code"), required=False, help_text=CODE_HELP)
    summary_row = forms.BooleanField(
        label=_("A row of the summary table"),
        help_text=_("A summary row needs a short label: the narrative names it by that."),
        required=False,
    )
    detail_page = forms.BooleanField(label=_("Starts a detail page of the report"), required=False)

    def __init__(self, *args, frozen: bool = False, first_goal: bool = False, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.adding = adding
        if adding:
            self.fields["code"].help_text = format_lazy(
                "{} {}", CODE_HELP, _("Leave it empty to make one from the Finnish text.")
            )
        self.fields["code"].disabled = frozen
        add_text_fields(self, "text", _("Text"), long=True, disabled=frozen)
        add_text_fields(self, "label", _("Short label"))
        add_text_fields(self, "label_genitive", _("Short label in the genitive"))
        add_text_fields(self, "heading", _("Page heading"), long=True, rows=2)
        self.order_fields(
            ["code", *[f"{name}_{language}" for name in NODE_TEXTS for language in LANGUAGE_LABELS], "summary_row"]
        )
        self.first_goal = first_goal
        if first_goal:
            # A document or a theme must hold a goal (the survey file's rule): its first goal comes with it.
            self.fields["first_code"] = TextField(
                label=_("Code"), required=False, help_text=self.fields["code"].help_text
            )
            add_text_fields(self, "first_text", _("Text"), long=True)

    @staticmethod
    def initial_from(node: dict) -> dict:
        initial = {"code": node["code"], "summary_row": node.get("summary_row", False)}
        initial["detail_page"] = node.get("detail_page", False)
        for name in NODE_TEXTS:
            initial |= text_initial(node.get(name), name)
        return initial

    def values(self, taken: set[str]) -> dict:
        """The node's keys as the file writes them; None removes a key."""
        code = (self.cleaned_data.get("code") or "").strip()
        if self.adding and not code:
            code = suggest_code(self.cleaned_data.get("text_fi"), taken)
        values = {"code": code, "text": self.text("text", required=True)}
        for name in NODE_TEXTS[1:]:
            values[name] = self.text(name)
        values["summary_row"] = True if self.cleaned_data["summary_row"] else None
        values["detail_page"] = True if self.cleaned_data["detail_page"] else None
        return values

    def first_group(self):
        return self.group("first_text")

    def first(self, taken: set[str]) -> dict:
        code = (self.cleaned_data.get("first_code") or "").strip() or suggest_code(
            self.cleaned_data.get("first_text_fi"), taken
        )
        return {"code": code, "text": self.text("first_text", required=True)}


def suggest_code(text: str | None, taken: set[str]) -> str:
    """A code from the start of a Finnish text ("Yhteistyö on toimivaa" → yhteistyo-on-toimivaa), unique in the round."""
    base = slugify((text or "").strip())[:60].strip("-_") or "tavoite"
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code
