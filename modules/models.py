"""Self-help content: Program → Module → Step → Block (+ options), and the helpline directory.

Every human-readable field is translated with django-modeltranslation (``translation.py``).

**Stable identities.** Content is identified by its slug within its parent: a step by
(program, module slug, step slug), an exercise by its step and block slug, an option by its
value. Rewording or reordering keeps the row, so help-seekers' progress and answers (which
point here with ``PROTECT``) stay attached. Content that leaves a program is *retired*
(``retired_on`` set), never deleted: hidden from help-seekers, kept for their history and for
statistics. A retired row comes back, with its history, if its slug returns. Positions are
unique among the rows still in use only.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SLUG_VALIDATOR = RegexValidator(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Use lowercase letters, digits and single hyphens."))
SCALE_MIN = 0
SCALE_MAX = 10
FALLBACK_LANGUAGE = "en"
# The program's translated texts, in the order translators meet them.
PROGRAM_TEXTS = ("title", "summary", "urge_guidance", "urge_exercise", "urge_line")

ACTIVE = Q(retired_on__isnull=True)


def published_languages_default() -> list[str]:
    """A new program is shown in its fallback language only, until a language is published."""
    return [FALLBACK_LANGUAGE]


class RetirableContent(models.Model):
    """Content that help-seekers' rows may point at: retired when it goes, never deleted."""

    retired_on = models.DateField(
        _("retired on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Hidden from help-seekers since this day; kept for their history and for statistics."),
    )

    class Meta:
        abstract = True

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


class ModuleQuerySet(models.QuerySet["Module"]):
    def active(self) -> ModuleQuerySet:
        return self.filter(retired_on__isnull=True)


class StepQuerySet(models.QuerySet["Step"]):
    def active(self) -> StepQuerySet:
        """Steps in use: neither the step nor its module is retired."""
        return self.filter(retired_on__isnull=True, module__retired_on__isnull=True)


class BlockQuerySet(models.QuerySet["Block"]):
    def active(self) -> BlockQuerySet:
        """Blocks in use: neither the block nor its step or module is retired."""
        return self.filter(
            retired_on__isnull=True, step__retired_on__isnull=True, step__module__retired_on__isnull=True
        )


class ProgramQuerySet(models.QuerySet["Program"]):
    def live(self) -> ProgramQuerySet:
        """Programs help-seekers may be served: not a staff draft (``authoring``)."""
        return self.filter(draft_of__isnull=True)


class Program(models.Model):
    """A whole self-help program, e.g. the sample CBT program. Usually one per installation.

    A program with ``draft_of`` set is the staff's working copy of that (live) program: staff
    edit it, and publishing (``authoring``) copies a reviewed language of it into the live
    program. A draft is never published: help-seekers cannot reach it.
    """

    slug = models.SlugField(max_length=64, unique=True, validators=[SLUG_VALIDATOR])
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    is_sample = models.BooleanField(
        _("sample content"), default=False, help_text=_("Shown with a notice that clinicians must review it.")
    )
    is_published = models.BooleanField(_("published"), default=True)
    # The languages help-seekers may read this program in, recorded when a language is
    # published (see ``authoring``), so pages never check completeness while serving.
    # The fallback language is always among them.
    published_languages = models.JSONField(
        _("published languages"), default=published_languages_default, editable=False
    )
    # Bumped by every service that changes the program's content; part of every cache key,
    # so publishing a change invalidates rendered content everywhere at once.
    content_version = models.PositiveIntegerField(default=1, editable=False)
    draft_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="draft", editable=False
    )
    # The "Urge now" page (``journey``): the program's words for the moment of an urge, for
    # every reader; a signed-in reader sees their own answers to ``urge_words`` above them.
    urge_guidance = models.TextField(
        _("urge now: guidance (Markdown)"),
        blank=True,
        help_text=_("First thing a reader who is not signed in sees on the “Urge now” page: what to do right now."),
    )
    urge_exercise = models.TextField(
        _("urge now: delay and distract (Markdown)"),
        blank=True,
        help_text=_("A breathing or grounding exercise as steps a person can follow without a clock."),
    )
    urge_line = models.TextField(
        _("urge now: the line not to cross (Markdown)"),
        blank=True,
        help_text=_("The line not to cross, and what to do the moment the urge to cross it appears."),
    )
    # Exercises ("module/step/block", free text or plan items) whose answers the "Urge now"
    # page shows a signed-in reader, in this order; and the step with the plan for setbacks,
    # which the diary points to after a slip. Set by bundles (``authoring``).
    urge_words = models.JSONField(_("urge now: the reader's own words"), default=list, blank=True)
    setback_step = models.CharField(_("step with the plan for setbacks"), max_length=130, blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True) | Q(is_published=False), name="program_draft_never_published"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Module(RetirableContent):
    """An ordered chapter of a program, worked through in a sitting or two."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules")
    slug = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["program", "position"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="module_unique_slug_in_program"),
            models.UniqueConstraint(
                fields=["program", "position"], condition=ACTIVE, name="module_unique_position_in_program"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="module_position_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Step(RetirableContent):
    """One screen of a module, readable in a few minutes on a phone."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="steps")
    slug = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=5)
    # Shown only to help-seekers whose answer to an earlier choice exercise includes one of
    # these option values (or who have not answered it): "when does viewing happen?" is not
    # asked of someone who said they never viewed. A step hidden this way is not required.
    condition_block = models.ForeignKey(
        "Block", null=True, blank=True, on_delete=models.PROTECT, related_name="conditioned_steps"
    )
    condition_values = models.JSONField(default=list, blank=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["module", "position"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="step_unique_slug_in_module"),
            models.UniqueConstraint(
                fields=["module", "position"], condition=ACTIVE, name="step_unique_position_in_module"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="step_position_from_one"),
            models.CheckConstraint(
                condition=Q(estimated_minutes__gte=1, estimated_minutes__lte=60), name="step_minutes_between_1_and_60"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class BlockKind(models.TextChoices):
    """What a block shows. Exercise kinds are the ones a help-seeker answers."""

    TEXT = "text", _("Text (Markdown)")
    HELPLINES = "helplines", _("Helpline directory")
    FREE_TEXT = "free_text", _("Exercise: free text")
    SINGLE_CHOICE = "single_choice", _("Exercise: single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Exercise: multiple choice")
    SCALE = "scale", _("Exercise: scale from 0 to 10")
    PLAN_ITEM = "plan_item", _("Exercise: plan item")
    CRISIS_LINES = "crisis_lines", _("Crisis lines (suicide and emotional crisis)")


EXERCISE_KINDS = frozenset(
    {BlockKind.FREE_TEXT, BlockKind.SINGLE_CHOICE, BlockKind.MULTIPLE_CHOICE, BlockKind.SCALE, BlockKind.PLAN_ITEM}
)
CHOICE_KINDS = frozenset({BlockKind.SINGLE_CHOICE, BlockKind.MULTIPLE_CHOICE})
# Exercises whose answers (the reader's own words) the "Urge now" page may show.
URGE_WORD_KINDS = frozenset({BlockKind.FREE_TEXT, BlockKind.PLAN_ITEM})


class Block(RetirableContent):
    """A piece of a step: Markdown text, an exercise prompt, or the helpline directory.

    For exercises, ``body`` is the prompt; choice exercises have options, scales have end
    labels. New kinds (the questionnaire placement) plug in as a new ``BlockKind`` value and
    a template ``modules/blocks/<kind>.html``.
    """

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="blocks")
    slug = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    kind = models.CharField(max_length=20, choices=BlockKind.choices)
    body = models.TextField(_("text or prompt (Markdown)"), blank=True)
    scale_min_label = models.CharField(_("label at 0"), max_length=80, blank=True)
    scale_max_label = models.CharField(_("label at 10"), max_length=80, blank=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["step", "position"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["step", "slug"], name="block_unique_slug_in_step"),
            models.UniqueConstraint(
                fields=["step", "position"], condition=ACTIVE, name="block_unique_position_in_step"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="block_position_from_one"),
            models.CheckConstraint(condition=Q(kind__in=BlockKind.values), name="block_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.slug} ({self.get_kind_display()})"

    @property
    def is_exercise(self) -> bool:
        return self.kind in EXERCISE_KINDS


class BlockOption(RetirableContent):
    """One answer option of a choice exercise. ``value`` is stable and feeds statistics."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="options")
    value = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["block", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["block", "value"], name="option_unique_value_in_block"),
            models.UniqueConstraint(
                fields=["block", "position"], condition=ACTIVE, name="option_unique_position_in_block"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class HelplineKind(models.TextChoices):
    SERVICE = "service", _("Help service")
    CRISIS = "crisis", _("Crisis line")


class Helpline(models.Model):
    """A service a help-seeker can contact: never other users, only professionals.

    A crisis line is for despair, hopelessness or thoughts of suicide; pages that touch those
    show the crisis lines. ``is_sample`` marks an entry the operator has not verified yet.
    """

    slug = models.SlugField(max_length=64, unique=True, validators=[SLUG_VALIDATOR])
    # ISO 3166-1 alpha-2, or empty for services open to every country.
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter code."))]
    )
    languages = models.JSONField(_("languages served"), default=list, blank=True)
    kind = models.CharField(max_length=16, choices=HelplineKind.choices, default=HelplineKind.SERVICE)
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    onion_url = models.URLField(_("onion address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    chat_url = models.URLField(_("chat"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_sample = models.BooleanField(_("sample data, to be verified"), default=False)

    class Meta:
        ordering = ["country", "position", "slug"]
        verbose_name = _("helpline")
        verbose_name_plural = _("helplines")
        constraints = [
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"), name="helpline_country_iso"
            ),
            models.CheckConstraint(condition=Q(kind__in=HelplineKind.values), name="helpline_kind_known"),
        ]

    def __str__(self) -> str:
        return self.name


class HelplineDirectoryView(models.Model):
    """An anonymous counter of views of the helpline directory, per day and country filter
    ("" when none was chosen). It is incremented with no link to any profile, session or
    request detail, and read only by the evaluation jobs (as a sum over a period)."""

    day = models.DateField()
    country = models.CharField(max_length=2, blank=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "country"], name="helplinedirectoryview_once_per_day_country")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.country or '-'}"
