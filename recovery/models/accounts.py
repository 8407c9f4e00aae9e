"""Users, programs and the membership (with a role) that ties them together."""

from __future__ import annotations

import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from recovery.compiled import ID_STAND_IN, compiled_list
from recovery.db import CreatedAtModel, UuidModel
from recovery.tracking import track

# The notice that accompanies each disclosure of a participant's record (42 CFR §2.32(a)(1), as amended in
# 2024). A program may replace it (a later amendment, its counsel's wording): it is a Program field. Marked
# for the catalogue only: the default text shows in the reader's language (templates/records/includes/notice.html).
PART2_NOTICE = gettext_noop(
    "This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). "
    "These rules prohibit you from using or disclosing this record, or testimony that describes the information "
    "contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, "
    "State, or local authority, against the patient, unless authorized by the consent of the patient, except as "
    "provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In "
    "addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at "
    "least one of the following applies: (i) Further use or disclosure is expressly permitted by the written "
    "consent of the individual whose information is being disclosed in this record or as otherwise permitted by "
    "42 CFR part 2. (ii) You are a covered entity or business associate and have received the record for "
    "treatment, payment, or health care operations, or (iii) You have received the record from a covered entity "
    "or business associate as permitted by 45 CFR part 164, subparts A and E. A general authorization for the "
    "release of medical or other information is NOT sufficient to meet the required elements of written consent "
    "to further use or redisclose the record (see 42 CFR 2.31)."
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Logins are case-insensitive: "Peer@Demo.example" is the same person as "peer@demo.example".
        return self.get(email__iexact=username)


@track(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. What they may do depends on their membership in each program."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(max_length=150)
    preferred_name = models.CharField(max_length=80, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Blank: follow the browser (Accept-Language, the language cookie). Emails and notifications to this
    # user are written in it (recovery.i18n.user_language).
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES,
                                help_text=_("Leave empty to follow your browser's language."))

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.preferred_name or self.full_name.split(" ")[0]

    @cached_property
    def active_memberships(self) -> list[Membership]:
        """This user's active memberships, with their programs: read once per request (every page's
        middleware asks), by SQL built once per process (recovery.compiled), the user's id put in."""
        rows = compiled_list(("recovery.accounts.active_memberships",), lambda: (
            Membership.objects.filter(user_id=ID_STAND_IN, is_active=True, program__is_active=True)
            .select_related("program", "supervisor")
            .order_by("program__name")
        ), {ID_STAND_IN: self.pk})
        for membership in rows:
            Membership.user.field.set_cached_value(membership, self)
        return rows


def _credential_reminder_days() -> list[int]:
    return [90, 60, 30, 7, 0]


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Not a known time zone (for example America/New_York)."))


class Program(UuidModel, CreatedAtModel):
    """The unit of tenancy: nothing of one program is visible from another.

    The program's rules live here as data an admin edits; the defaults follow DOMAIN.md.
    """

    class UnitRounding(models.TextChoices):
        EIGHT_MINUTE = "eight_minute", _("A unit counts from 8 of its 15 minutes (CMS 8-minute rule)")
        WHOLE_UNITS = "whole_units", _("Only whole units count")
        ANY_PART = "any_part", _("Any part of a unit counts")

    class NoteReviewPolicy(models.TextChoices):
        ALL = "all", _("All signed notes")
        SHARE = "share", _("A share of signed notes")
        TRAINEES = "trainees", _("All notes of staff in training")
        CRISIS = "crisis", _("All notes with a crisis flag")

    name = models.CharField(max_length=150, unique=True)
    organization = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[_validate_time_zone])
    is_active = models.BooleanField(default=True)

    expiring_window_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A credential is 'expiring' this many days before it expires."),
    )
    ce_short_window_days = models.PositiveSmallIntegerField(
        _("CE short window (days)"), default=180, validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("A credential is 'CE short' when it expires within this many days and its cycle's "
                    "continuing education (or ethics) hours are still below the requirement. Earlier in the "
                    "cycle, hours not yet logged are simply still to do."),
    )
    signing_deadline_hours = models.PositiveSmallIntegerField(
        default=48, validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text=_("A note signed later than this after the session is a late entry."),
    )
    no_contact_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("An active participant not seen for this many days is flagged."),
    )
    group_max_participants = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(2), MaxValueValidator(50)]
    )
    unit_rounding = models.CharField(max_length=20, choices=UnitRounding, default=UnitRounding.EIGHT_MINUTE)
    supervision_frequency_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Each peer should have a supervision contact at least this often."),
    )
    note_review_policy = models.CharField(max_length=20, choices=NoteReviewPolicy, default=NoteReviewPolicy.ALL)
    note_review_share_percent = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    require_two_factor_for_peers = models.BooleanField(default=False)
    authorization_start_days = models.PositiveSmallIntegerField(
        _("days from recommendation to first service"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Services that begin later than this after the recommendation are flagged for billing."),
    )

    # Reminders (the Celery sweeps read these; DOMAIN.md defaults).
    credential_reminder_days = ArrayField(
        models.PositiveSmallIntegerField(validators=[MaxValueValidator(365)]), default=_credential_reminder_days,
        help_text=_("Days before a credential expires when its holder, their supervisor and the admins are "
                    "reminded (0 = on the day)."),
    )
    followup_escalation_days = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A follow-up this many days overdue is also reported to the supervisor."),
    )
    no_contact_escalation_days = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("An active participant not seen for this many days is reported to the supervisor."),
    )
    consent_expiring_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The primary peer is reminded this many days before a consent expires."),
    )
    plan_review_every_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(7), MaxValueValidator(365)],
        help_text=_("How long after a plan's date its review is suggested."),
    )
    plan_review_due_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The primary peer is reminded this many days before a plan review is due."),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        default=0, choices=[(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
                            (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))],
        help_text=_("The day the weekly digest goes to supervisors."),
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=7, validators=[MaxValueValidator(23)], help_text=_("The hour (program time) it goes out."),
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(2), MaxValueValidator(120)]
    )
    invitation_valid_hours = models.PositiveSmallIntegerField(
        _("Hours an invitation link stays valid"), default=72,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("A staff invitation link stops working this many hours after it was sent."),
    )

    # Resource navigation (the referrals app reads these).
    resource_stale_days = models.PositiveSmallIntegerField(
        default=180, validators=[MinValueValidator(7), MaxValueValidator(3 * 365)],
        help_text=_("A directory entry not verified for this many days is flagged for re-checking."),
    )
    referral_followup_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("Making a referral creates a follow-up due this many days later: did they connect?"),
    )
    referral_no_update_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("An open referral with no update for this many days shows on My day and is reminded."),
    )

    # Disclosures (the records app prints it on every disclosure and record export).
    disclosure_notice = models.TextField(
        _("notice sent with each disclosure"), default=PART2_NOTICE,
        help_text=_("The 42 CFR §2.32 notice against redisclosure, printed on every disclosure and record export."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self):
        """Today's date where the program works ("due today" means today there)."""
        return timezone.localdate(timezone.now(), self.zone)


@track()
class Membership(CreatedAtModel):
    """A user's role in one program; a peer specialist's supervisor is named here too."""

    class Role(models.TextChoices):
        PEER = "peer", _("Peer specialist")
        SUPERVISOR = "supervisor", _("Supervisor")
        ADMIN = "admin", _("Program admin")
        # Sees the program's billing (payers, coverage, authorizations, claims), no clinical record.
        BILLING = "billing", _("Billing clerk")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role)
    supervisor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="supervised_memberships",
        help_text=_("The supervisor of a peer specialist in this program."),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["program__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="membership_one_per_user_program"),
            models.CheckConstraint(
                condition=~models.Q(supervisor=models.F("user")), name="membership_not_own_supervisor"
            ),
        ]
        indexes = [models.Index(fields=["program", "supervisor"], name="membership_prog_supervisor_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.program}"

    @property
    def is_peer(self) -> bool:
        return self.role == self.Role.PEER

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_billing(self) -> bool:
        return self.role == self.Role.BILLING
