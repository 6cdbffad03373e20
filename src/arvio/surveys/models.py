"""The survey's definition: who asks whom about which goals, and on what scale."""

from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from arvio.lib.i18n import Localized
from arvio.surveys.window import WindowState, window_state


def _text(verbose, *, blank: bool = False, long: bool = False):
    """A Finnish, a Swedish and an optional English column for one text."""

    def make(language_blank, language):
        # Lazy, so that the verbose name follows the active language instead of the one at import.
        name = format_lazy("{} ({})", verbose, language)
        if long:
            return models.TextField(name, blank=language_blank)
        return models.CharField(name, max_length=500, blank=language_blank)

    return make(blank, "fi"), make(blank, "sv"), make(True, "en")


class Organizer(Localized, models.Model):
    """Järjestäjä: the wellbeing services county that runs the evaluation."""

    code = models.SlugField(_("code"), unique=True)
    name_fi, name_sv, name_en = _text(_("name"))

    class Meta:
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")

    def __str__(self):
        return self.name_fi


class Municipality(Localized, models.Model):
    """Kunta: a respondent organization, identified by its Statistics Finland code."""

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        BILINGUAL_FINNISH = "fi-sv", _("bilingual, Finnish majority")
        BILINGUAL_SWEDISH = "sv-fi", _("bilingual, Swedish majority")

    code = models.CharField(_("code"), max_length=3, unique=True)
    name_fi, name_sv, name_en = _text(_("name"))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]

    def __str__(self):
        return f"{self.name_fi} ({self.code})"

    @property
    def languages(self) -> list[str]:
        """The municipality's languages, the majority's first."""
        return self.language.split("-")

    @property
    def primary_language(self) -> str:
        return self.languages[0]


class Round(Localized, models.Model):
    """Arviointikierros / kysely: one survey of a goal tree to a set of municipalities."""

    organizer = models.ForeignKey(Organizer, models.PROTECT, related_name="rounds", verbose_name=_("organizer"))
    code = models.SlugField(_("code"), max_length=100, unique=True)
    title_fi, title_sv, title_en = _text(_("title"))
    # The report's own, shorter title for the deck's title slide ("Hyvinvointialueen ja kuntien välisen
    # yhteistyön arviointi"); blank: the report is titled with `title`.
    report_title_fi, report_title_sv, report_title_en = _text(_("report title"), blank=True)
    purpose_fi, purpose_sv, purpose_en = _text(_("purpose"), blank=True, long=True)
    instructions_fi, instructions_sv, instructions_en = _text(_("instructions"), blank=True, long=True)
    target_group_fi, target_group_sv, target_group_en = _text(_("target group"), blank=True)
    dont_know_label_fi, dont_know_label_sv, dont_know_label_en = _text(_("“can't say” label"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The closing day counts to its end, Europe/Helsinki."))
    closed_at = models.DateTimeField(_("closed by staff at"), null=True, blank=True)
    allow_changes_after_submit = models.BooleanField(
        _("submitted answers may be changed until the close"), default=False
    )
    reminder_interval_days = models.PositiveSmallIntegerField(_("days between reminders"), default=7)
    narrative_strongest = models.PositiveSmallIntegerField(_("strongest areas named in the narrative"), default=3)
    narrative_weakest = models.PositiveSmallIntegerField(_("weakest areas named in the narrative"), default=3)
    translations_unofficial = models.BooleanField(_("Swedish texts are unofficial translations"), default=False)
    # The round this one is compared with (vertailukierros). Unset: the default rule of `compared_round`;
    # `no_baseline` says staff chose to compare with none.
    baseline = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("baseline round"),
    )
    no_baseline = models.BooleanField(_("compared with no earlier round"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opens_on", "code"]
        permissions = [
            ("manage_rounds", _("Can run evaluation rounds")),
            ("view_results", _("Can view rounds and their results")),
        ]

    def __str__(self):
        return self.code

    @property
    def tree_is_frozen(self) -> bool:
        """Once anybody has answered, the goal tree must stay as it was asked."""
        # Through the reverse relations: surveys sits below invitations and responses and imports neither.
        return self.invitations.filter(response__isnull=False).exists()

    def window_state(self, now, extended_to=None) -> WindowState:
        return window_state(
            now, opens_on=self.opens_on, closes_on=self.closes_on, extended_to=extended_to, closed_at=self.closed_at
        )

    def baseline_candidates(self) -> list["Round"]:
        """The rounds this one may be compared with: the organizer's rounds that opened before it, latest first."""
        return list(
            Round.objects.filter(organizer_id=self.organizer_id, opens_on__lt=self.opens_on)
            .exclude(pk=self.pk)
            .order_by("-opens_on", "-closes_on", "code")
        )

    def compared_round(self, now, *, codes: set[str] | None = None) -> "Round | None":
        """The baseline: the one staff chose, none if they chose none, else the default rule
        (`baseline_default`): the organizer's latest earlier closed round that shares goal codes."""
        if self.no_baseline:
            return None
        if self.baseline_id is not None:
            return self.baseline
        candidates = self.baseline_candidates()
        if codes is None:
            codes = set(self.nodes.values_list("code", flat=True))
        shared = set(
            Node.objects.filter(round__in=candidates, code__in=codes).values_list("round_id", flat=True).distinct()
        )
        return baseline_default(candidates, now=now, shares_codes=shared)

    def compared_round_now(self) -> "Round | None":
        return self.compared_round(timezone.now())

    def rated_goals(self) -> list["Node"]:
        """The leaves of the goal tree, in the order they are asked."""
        return [node for node in self.tree() if node.is_rated]

    def tree(self) -> list["Node"]:
        """Every node, depth first in order, with `children` and `depth` filled from one query."""
        nodes = list(self.nodes.all())
        children: dict[int | None, list[Node]] = {}
        for node in nodes:
            children.setdefault(node.parent_id, []).append(node)
        ordered: list[Node] = []

        def walk(parent_id, depth):
            for node in sorted(children.get(parent_id, []), key=lambda n: (n.order, n.pk)):
                node.depth = depth
                node.child_nodes = sorted(children.get(node.pk, []), key=lambda n: (n.order, n.pk))
                ordered.append(node)
                walk(node.pk, depth + 1)

        walk(None, 0)
        return ordered


def baseline_default(candidates: list[Round], *, now, shares_codes: set[int]) -> Round | None:
    """The default baseline (docs/domain.md, "Rounds compared"): of the earlier rounds, latest first, the
    first whose window has closed and that shares a goal code with the round. Pure: the caller reads the rows."""
    for candidate in candidates:
        if candidate.pk in shares_codes and candidate.window_state(now) == WindowState.CLOSED:
            return candidate
    return None


class BaselineMapping(models.Model):
    """One row of a round's mapping to its baseline: a rated goal of the baseline (`baseline_code`) that is
    asked in this round as the rated goal `code`. Several rows with one `baseline_code` split it; several
    with one `code` merge them. A goal whose code is the same in both rounds needs no row."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="baseline_mapping", verbose_name=_("round"))
    baseline_code = models.SlugField(_("goal of the baseline round"), max_length=100)
    code = models.SlugField(_("goal of this round"), max_length=100)

    class Meta:
        verbose_name = _("baseline mapping row")
        verbose_name_plural = _("baseline mapping rows")
        ordering = ["round", "baseline_code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "baseline_code", "code"], name="baseline_mapping_unique")
        ]

    def __str__(self):
        return f"{self.baseline_code} → {self.code}"


class Node(Localized, models.Model):
    """A node of the goal tree: a strategy document, a theme, a goal or a sub-goal.

    Leaves are rated; a node with children is never rated, its value is derived.
    The layout flags make the report's shape data: `summary_row` puts the node in
    the summary table, `detail_page` starts a detail section (page) with it.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("strategy document")
        THEME = "theme", _("theme")
        GOAL = "goal", _("goal")
        SUBGOAL = "subgoal", _("sub-goal")

    round = models.ForeignKey(Round, models.CASCADE, related_name="nodes", verbose_name=_("round"))
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    text_fi, text_sv, text_en = _text(_("text"), long=True)
    label_fi, label_sv, label_en = _text(_("short label"), blank=True)
    # The narrative's sentences need the label inflected in Finnish ("osallisuuden saralla").
    label_genitive_fi, label_genitive_sv, label_genitive_en = _text(_("short label in the genitive"), blank=True)
    heading_fi, heading_sv, heading_en = _text(_("page heading"), blank=True, long=True)
    summary_row = models.BooleanField(_("row of the summary table"), default=False)
    detail_page = models.BooleanField(_("starts a detail page"), default=False)

    class Meta:
        verbose_name = _("goal tree node")
        verbose_name_plural = _("goal tree nodes")
        ordering = ["round", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="node_code_unique_in_round")]

    def __str__(self):
        return f"{self.code}: {self.text_fi[:60]}"

    @property
    def is_rated(self) -> bool:
        children = getattr(self, "child_nodes", None)
        if children is None:
            return not self.children.exists()
        return not children


class ScaleOption(Localized, models.Model):
    """One step of the rating scale: 5 = Erinomaisesti … 1 = Ei lainkaan."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="scale", verbose_name=_("round"))
    value = models.PositiveSmallIntegerField(_("value"))
    label_fi, label_sv, label_en = _text(_("label"))
    # How the narrative names this level: "arvioivat … keskimäärin kohtalaiseksi".
    level_fi, level_sv, level_en = _text(_("level in the narrative"), blank=True)

    class Meta:
        verbose_name = _("scale option")
        verbose_name_plural = _("scale options")
        ordering = ["round", "-value"]
        constraints = [models.UniqueConstraint(fields=["round", "value"], name="scale_value_unique_in_round")]

    def __str__(self):
        return f"{self.value} = {self.label_fi}"


class Question(Localized, models.Model):
    """An open question, answered in free text."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="questions", verbose_name=_("round"))
    code = models.SlugField(_("code"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    text_fi, text_sv, text_en = _text(_("text"), long=True)

    class Meta:
        verbose_name = _("open question")
        verbose_name_plural = _("open questions")
        ordering = ["round", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="question_code_unique_in_round")]

    def __str__(self):
        return f"{self.code}: {self.text_fi[:60]}"
