"""Demographics and status for funders' reports, as dated observations.

Each answer is a row: which question, when it was asked, and either the answer or "declined to answer".
"Not asked" is the absence of a row, so the three are counted apart. The current answer is the latest
row; a status that changes (housing, employment) keeps every observation, so "housed at intake vs now"
is a query, not a reconstruction. The categories (race and ethnicity, gender identity, housing...) are
program data: shipped defaults (program empty) plus a program's own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models.base import participant_key
from recovery.db import CreatedAtModel, UuidModel
from recovery.scoping import ParticipantRecordQuerySet


class Question(models.TextChoices):
    GENDER = "gender", _("Gender identity")
    RACE_ETHNICITY = "race_ethnicity", _("Race and ethnicity")
    LANGUAGE = "language", _("Preferred language")
    VETERAN = "veteran", _("Veteran status")
    HOUSING = "housing", _("Housing status")
    EMPLOYMENT = "employment", _("Employment status")
    INSURANCE = "insurance", _("Insurance")
    MEDICAID_ID = "medicaid_id", _("Medicaid ID")


# Questions answered with categories (the others with text); several categories only where marked.
CATEGORY_QUESTIONS = {Question.GENDER, Question.RACE_ETHNICITY, Question.VETERAN, Question.HOUSING,
                      Question.EMPLOYMENT, Question.INSURANCE}
MULTIPLE = {Question.RACE_ETHNICITY}
# Statuses that change and are reported "at intake vs now".
STATUS_QUESTIONS = {Question.HOUSING, Question.EMPLOYMENT, Question.INSURANCE}


class CategoryQuerySet(models.QuerySet):
    def for_program(self, program_id: int) -> CategoryQuerySet:
        return self.filter(Q(program__isnull=True) | Q(program_id=program_id), is_active=True)


class Category(models.Model):
    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    question = models.CharField(max_length=20, choices=Question)
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["question", "position", "label"]
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], condition=Q(program__isnull=True),
                                    name="category_default_code"),
            models.UniqueConstraint(fields=["program", "question", "code"], name="category_program_code"),
        ]

    def __str__(self) -> str:
        return self.label


class ObservationQuerySet(ParticipantRecordQuerySet):
    def latest_per_question(self) -> ObservationQuerySet:
        """Each participant's latest observation of each question (PostgreSQL DISTINCT ON)."""
        return self.order_by("client_id", "question", "-observed_on", "-pk").distinct("client_id", "question")


class Observation(UuidModel, CreatedAtModel):
    client = participant_key("observations")
    question = models.CharField(max_length=20, choices=Question)
    observed_on = models.DateField(_("as of"))
    declined = models.BooleanField(_("declined to answer"), default=False)
    codes = ArrayField(models.SlugField(max_length=40), default=list, blank=True)
    text = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["client", "question", "observed_on"], name="observation_client_idx")]
        constraints = [
            # Declined carries no answer; an answer carries a category or a text.
            models.CheckConstraint(
                condition=(Q(declined=True, codes=[], text="")
                           | (Q(declined=False) & (~Q(codes=[]) | ~Q(text="")))),
                name="observation_declined_or_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_question_display()} as of {self.observed_on:%Y-%m-%d}"
