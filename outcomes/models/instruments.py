"""Assessment instruments as data: items, a response scale, a scoring rule, thresholds.

An instrument with no program is a shipped default every program may use (the BARC-10, loaded by
migration 0002); a program admin adds the program's own under /program/instruments/. Scoring is a sum
(reverse-scored items allowed) with a rule for skipped items: at most ``max_skipped`` may be skipped,
and then the total is prorated (the mean of the answered items times the number of items) or not.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recovery.db import CreatedAtModel, UuidModel


class InstrumentQuerySet(models.QuerySet):
    def for_program(self, program_id: int) -> InstrumentQuerySet:
        """The shipped defaults and the program's own instruments."""
        return self.filter(Q(program__isnull=True) | Q(program_id=program_id))


class Instrument(UuidModel, CreatedAtModel):
    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", help_text=_("Empty: a shipped default every program may use."))
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    wording_note = models.TextField(
        blank=True, help_text=_("Where the item wording comes from (licensing, source, version)."))
    max_skipped = models.PositiveSmallIntegerField(
        _("items that may be skipped"), default=0, validators=[MaxValueValidator(50)],
        help_text=_("A score is given only when at most this many items are skipped."))
    prorate = models.BooleanField(
        _("prorate skipped items"), default=True,
        help_text=_("With skipped items, the total is the mean of the answered items times the number of items."))
    is_active = models.BooleanField(default=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(program__isnull=True), name="instrument_default_code"),
            models.UniqueConstraint(fields=["program", "code"], name="instrument_program_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outcomes:instrument_detail", kwargs={"instrument_uuid": self.uuid})


class ResponseOption(models.Model):
    """One step of the instrument's response scale: a value, what the form shows, how a summary reads."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="options")
    value = models.SmallIntegerField(validators=[MinValueValidator(-100), MaxValueValidator(100)])
    label = models.CharField(max_length=60, help_text=_("As the form shows it: 'Strongly agree'."))
    phrase = models.CharField(max_length=60, help_text=_("As a summary reads: 'strongly agrees'."))

    class Meta:
        ordering = ["value"]
        constraints = [models.UniqueConstraint(fields=["instrument", "value"], name="option_unique_value")]

    def __str__(self) -> str:
        return f"{self.value} · {self.label}"


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    label = models.CharField(max_length=60, help_text=_("Short name for summaries: 'Housing'."))
    reverse_scored = models.BooleanField(default=False)
    dimension = models.ForeignKey("clients.Dimension", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", help_text=_("The recovery dimension a goal from this item gets."))

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["instrument", "position"], name="item_unique_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.label}"


class Threshold(models.Model):
    """A score from which a label applies; a marked threshold is drawn as the line on trend charts."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="thresholds")
    min_score = models.DecimalField(max_digits=6, decimal_places=1)
    label = models.CharField(max_length=160)
    is_marker = models.BooleanField(_("draw as the chart's line"), default=False)

    class Meta:
        ordering = ["min_score"]
        constraints = [
            models.UniqueConstraint(fields=["instrument"], condition=Q(is_marker=True), name="threshold_one_marker"),
        ]

    def __str__(self) -> str:
        return f"{self.min_score}+ · {self.label}"


TENTH = Decimal("0.1")


class Scale:
    """An instrument's items, options and thresholds, loaded once, and its scoring rule."""

    def __init__(self, instrument: Instrument, items: list[Item], options: list[ResponseOption],
                 thresholds: list[Threshold]):
        self.instrument = instrument
        self.items = items
        self.options = options
        self.thresholds = thresholds
        values = [o.value for o in options]
        self.low, self.high = (min(values), max(values)) if values else (0, 0)

    @classmethod
    def load(cls, instrument: Instrument) -> Scale:
        return cls(instrument, list(instrument.items.select_related("dimension")), list(instrument.options.all()),
                   list(instrument.thresholds.all()))

    @property
    def min_total(self) -> int:
        return self.low * len(self.items)

    @property
    def max_total(self) -> int:
        return self.high * len(self.items)

    @property
    def marker(self) -> Threshold | None:
        return next((t for t in self.thresholds if t.is_marker), None)

    def scored(self, item: Item, value: int) -> int:
        """The value an answer adds to the total (reverse-scored items turned around)."""
        return self.low + self.high - value if item.reverse_scored else value

    def score(self, answers: dict[int, int | None]) -> Decimal | None:
        """The total for answers by item id (None: skipped), or None when too many are skipped."""
        given = [(item, answers.get(item.pk)) for item in self.items]
        answered = [self.scored(item, value) for item, value in given if value is not None]
        skipped = len(self.items) - len(answered)
        if not answered or skipped > self.instrument.max_skipped:
            return None
        total = Decimal(sum(answered))
        if skipped and self.instrument.prorate:
            total = total * len(self.items) / len(answered)
        return total.quantize(TENTH, rounding=ROUND_HALF_UP)

    def band(self, score: Decimal | None) -> Threshold | None:
        """The highest threshold the score reaches."""
        if score is None:
            return None
        reached = [t for t in self.thresholds if score >= t.min_score]
        return reached[-1] if reached else None

    def is_strength(self, item: Item, value: int) -> bool:
        """An answer in the upper half of the scale (after reversal) is a strength, else a need."""
        return self.scored(item, value) * 2 > self.low + self.high

    def phrase(self, value: int) -> str:
        return next((gettext(o.phrase) for o in self.options if o.value == value), str(value))
