"""The resource directory: where a peer can send someone (housing, treatment, food, a meeting...).

Each program keeps its own entries; a program admin may share an entry with the other programs they run.
Categories are data: the shipped defaults (``program`` empty) and each program's own.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clients.models.participants import MatchesPrefixes, NameWords
from clients.names import name_key, search_terms
from recovery.db import CreatedByModel, UuidModel, not_blank
from recovery.tracking import track


class CategoryQuerySet(models.QuerySet):
    def for_program(self, program_id: int) -> CategoryQuerySet:
        """The shipped categories and the program's own."""
        return self.filter(Q(program__isnull=True) | Q(program_id=program_id))


class Category(UuidModel):
    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="resource_categories", help_text=_("Empty: shipped with Lantern."))
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(program__isnull=True),
                                    name="category_shipped_code_unique"),
            models.UniqueConstraint(fields=["program", "code"], name="category_program_code_unique"),
            not_blank("name", name="category_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ResourceQuerySet(models.QuerySet):
    def for_program(self, program_id: int) -> ResourceQuerySet:
        """The program's own entries and those another program shared with it (no join, no duplicates)."""
        shared = Resource.shared_with.through.objects.filter(resource_id=OuterRef("pk"), program_id=program_id)
        return self.filter(Q(program_id=program_id) | Exists(shared))

    def search(self, query: str) -> ResourceQuerySet:
        """Entries with a word starting with each searched word: case, accents and punctuation do not
        count (the words are normalised by clients.names, as the participant search does)."""
        terms = search_terms(query)
        if not terms:
            return self
        return self.filter(MatchesPrefixes(NameWords("search_text"), terms))

    def stale(self, program, today: datetime.date) -> ResourceQuerySet:
        """Never verified, or verified more than the program's ``resource_stale_days`` ago."""
        return self.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=stale_before(program, today)))


def stale_before(program, today: datetime.date) -> datetime.date:
    """An entry verified before this day is stale (verified exactly N days ago: not yet)."""
    return today - datetime.timedelta(days=program.resource_stale_days)


@track()
class Resource(UuidModel, CreatedByModel):
    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        SLIDING = "sliding", _("Sliding scale")
        INSURANCE = "insurance", _("Insurance")
        FEE = "fee", _("Fee")
        UNKNOWN = "unknown", _("Not known")

    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, related_name="resources")
    shared_with = models.ManyToManyField("recovery.Program", blank=True, related_name="shared_resources",
                                         help_text=_("Other programs you run that may use this entry."))
    organisation = models.CharField(_("organisation"), max_length=200)
    service_name = models.CharField(_("service"), max_length=200, blank=True)
    categories = models.ManyToManyField(Category, related_name="resources")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    website = models.URLField(max_length=300, blank=True)
    hours = models.CharField(max_length=200, blank=True)
    eligibility = models.TextField(blank=True)
    cost = models.CharField(max_length=20, choices=Cost, default=Cost.UNKNOWN)
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True,
                           help_text=_("Languages spoken, e.g. English, Spanish."))
    accepts_medicaid = models.BooleanField(_("accepts Medicaid"), default=False)
    walk_in = models.BooleanField(_("walk-ins welcome"), default=False)
    notes = models.TextField(blank=True)
    verified_on = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"))
    is_active = models.BooleanField(_("listed"), default=True, help_text=_("Unlisted entries are kept for past "
                                                                          "referrals but no longer offered."))
    search_text = models.TextField(editable=False, default="")

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "service_name", "pk"]
        constraints = [not_blank("organisation", name="resource_has_organisation")]
        indexes = [
            models.Index(fields=["program", "organisation"], name="resource_program_idx"),
            GinIndex(NameWords("search_text"), name="resource_search_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("referrals:resource_detail", args=[self.uuid])

    @property
    def title(self) -> str:
        return f"{self.organisation}: {self.service_name}" if self.service_name else self.organisation

    def is_stale(self, program, today: datetime.date) -> bool:
        return self.verified_on is None or self.verified_on < stale_before(program, today)

    def set_search_text(self, category_names: list[str]) -> None:
        """The words search finds it by: names, service, categories, languages, address, eligibility."""
        words = name_key(self.organisation, self.service_name, *category_names, *self.languages, self.address,
                         self.eligibility, self.notes).split()
        self.search_text = " ".join(dict.fromkeys(words))  # each word once: they become the tsvector's lexemes
