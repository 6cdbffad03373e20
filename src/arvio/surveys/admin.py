"""The Django admin for the goal tree and rounds.

Once anybody has answered a round (`round.tree_is_frozen`), what it asked is
read-only here — the goal tree's structure and texts, the scale's values and
labels, the open questions — so that answers stay tied to the goals as they
were asked. The report's layout (labels, headings, the summary and detail
flags, the scale's levels in the narrative) may still change.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from arvio.surveys.models import Municipality, Node, Organizer, Question, Round, ScaleOption

FROZEN_NOTE = _(
    "This round has answers, so what it asked can no longer change: the goal tree's structure and texts, "
    "the scale and the open questions. Answers stay tied to the goals as they were asked. Labels, headings "
    "and the layout of the report may still change."
)
# What a municipality answered to; the rest of a node is the report's layout.
NODE_ASKED_FIELDS = ["round", "parent", "kind", "code", "order", "text_fi", "text_sv", "text_en"]
SCALE_ASKED_FIELDS = ["value", "label_fi", "label_sv", "label_en"]


def _frozen(round: Round | None) -> bool:
    if round is None or round.pk is None:
        return False
    # Admin asks the same question many times while drawing one page.
    if not hasattr(round, "_tree_is_frozen"):
        round._tree_is_frozen = round.tree_is_frozen
    return round._tree_is_frozen


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv"]
    search_fields = ["code", "name_fi", "name_sv"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "language"]
    list_filter = ["language"]
    search_fields = ["code", "name_fi", "name_sv"]
    ordering = ["code"]


class _FrozenWithRound:
    """An inline of a round (obj is the round) whose rows can be neither added nor deleted once the
    round has answers, and whose `asked_fields` turn read-only then."""

    extra = 0
    asked_fields: list[str] = []

    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        nothing_left = set(self.fields) <= set(self.asked_fields)
        return not (_frozen(obj) and nothing_left) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + self.asked_fields if _frozen(obj) else fields


class ScaleOptionInline(_FrozenWithRound, admin.TabularInline):
    model = ScaleOption
    asked_fields = SCALE_ASKED_FIELDS
    # The levels only name the steps in the narrative.
    fields = [*SCALE_ASKED_FIELDS, "level_fi", "level_sv", "level_en"]


class QuestionInline(_FrozenWithRound, admin.StackedInline):
    model = Question
    fields = ["code", "order", "text_fi", "text_sv", "text_en"]
    asked_fields = fields


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["code", "title_fi", "organizer", "opens_on", "closes_on", "has_answers"]
    list_filter = ["organizer"]
    search_fields = ["code", "title_fi", "title_sv"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ScaleOptionInline, QuestionInline]

    @admin.display(boolean=True, description=_("has answers"))
    def has_answers(self, round):
        return _frozen(round)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _frozen(obj):
            # The "can't say" choice is a step of the scale.
            fields += ["dont_know_label_fi", "dont_know_label_sv", "dont_know_label_en"]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        round = self.get_object(request, object_id)
        if request.method == "GET" and _frozen(round):
            messages.info(request, FROZEN_NOTE)
        return super().change_view(request, object_id, form_url, extra_context)


class NodeForm(forms.ModelForm):
    class Meta:
        model = Node
        fields = "__all__"  # noqa: DJ007 (the admin edits every field of a node)

    def clean(self):
        cleaned = super().clean()
        round, parent = cleaned.get("round"), cleaned.get("parent")
        if round is not None and _frozen(round):
            self.add_error("round", FROZEN_NOTE)
        if round is not None and parent is not None and parent.round_id != round.pk:
            self.add_error("parent", _("The parent must belong to the same round."))
        return cleaned


def _depth():
    return Case(
        When(parent__parent__parent__isnull=False, then=Value(3)),
        When(parent__parent__isnull=False, then=Value(2)),
        When(parent__isnull=False, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _tree_position() -> dict:
    """Sort keys that list nodes depth first: the orders of a node's ancestors from the top, then its own.

    Needs the node's `tree_depth` annotated first.
    """
    path = ["order", "parent__order", "parent__parent__order", "parent__parent__parent__order"]
    return {
        f"position_{level}": Case(
            *[When(tree_depth=depth, then=F(path[depth - level])) for depth in range(level, 4)],
            default=Value(0),
            output_field=IntegerField(),
        )
        for level in range(4)
    }


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    form = NodeForm
    list_display = ["indented_text", "code", "kind", "summary_row", "detail_page"]
    list_filter = ["round", "kind", "summary_row", "detail_page"]
    search_fields = ["code", "text_fi", "text_sv"]
    list_select_related = ["round"]
    fieldsets = [
        (None, {"fields": ["round", "parent", "kind", "code", "order"]}),
        (
            _("Texts"),
            {
                "fields": [
                    "text_fi",
                    "text_sv",
                    "text_en",
                    "label_fi",
                    "label_sv",
                    "label_en",
                    "label_genitive_fi",
                    "label_genitive_sv",
                    "label_genitive_en",
                    "heading_fi",
                    "heading_sv",
                    "heading_en",
                ]
            },
        ),
        (_("Report"), {"fields": ["summary_row", "detail_page"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(tree_depth=_depth())
            .alias(**_tree_position())
            .order_by("round__code", "position_0", "position_1", "position_2", "position_3", "pk")
        )

    @admin.display(description=_("text"))
    def indented_text(self, node):
        return "— " * node.tree_depth + node.text_fi[:100]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New nodes only go to rounds nobody has answered yet.
        if db_field.name == "round":
            kwargs["queryset"] = Round.objects.exclude(invitations__response__isnull=False)
        if db_field.name == "parent":
            kwargs["queryset"] = Node.objects.exclude(round__invitations__response__isnull=False).select_related(
                "round"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + NODE_ASKED_FIELDS if obj and _frozen(obj.round) else fields

    def has_delete_permission(self, request, obj=None):
        return not (obj and _frozen(obj.round)) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        node = self.get_object(request, object_id)
        if request.method == "GET" and node is not None and _frozen(node.round):
            messages.info(request, FROZEN_NOTE)
        return super().change_view(request, object_id, form_url, extra_context)
