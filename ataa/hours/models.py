"""Attendance at a shift and the hours ledger.

- `Attendance`: an accepted volunteer's presence at a shift: checked in and out by the rotating
  QR code of the coordinator's screen, by hand by a coordinator (with a reason), or closed
  automatically at the shift's end when the volunteer forgot to check out (flagged).
- `HourEntry`: the ledger. An entry's hours, times and text never change once written; a
  correction is a new entry that names the one it corrects, with who and why, and the corrected
  entry's status becomes "superseded". What does change is the status an entry moves through
  once (pending → approved or rejected, or → superseded), with who decided and when. On
  PostgreSQL a trigger refuses any other UPDATE and every DELETE (migration 0002).

Written only by the services (ataa.hours.services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ataa.core.storage import private_storage
from ataa.opportunities.models import Application, Opportunity, Shift
from ataa.organizations.models import Organization


class Attendance(models.Model):
    class Method(models.TextChoices):
        CODE = "code", _("Scanned the code at the site")
        MANUAL = "manual", _("By a coordinator")
        AUTOMATIC = "automatic", _("Closed automatically at the shift's end")

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("application"),
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("shift")
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("volunteer"),
    )
    checked_in_at = models.DateTimeField(_("checked in"))
    check_in_method = models.CharField(_("checked in how"), max_length=16, choices=Method.choices)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    check_in_reason = models.CharField(
        _("reason for checking in by hand"), max_length=300, blank=True
    )
    check_in_distance_m = models.PositiveIntegerField(
        _("distance from the site at check-in (m)"), null=True, blank=True
    )
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    check_out_method = models.CharField(
        _("checked out how"), max_length=16, choices=Method.choices, blank=True
    )
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked out by"),
    )
    check_out_reason = models.CharField(
        _("reason for checking out by hand"), max_length=300, blank=True
    )
    # The window of the last code this volunteer used here: a code is good for one action.
    last_code_window = models.BigIntegerField(null=True, blank=True, editable=False)
    closed_automatically = models.BooleanField(_("check-out forgotten"), default=False)

    class Meta:
        ordering = ["checked_in_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        indexes = [
            models.Index(
                fields=["shift"],
                condition=Q(checked_out_at__isnull=True),
                name="attendance_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="attendance_out_after_in",
            ),
        ]

    def __str__(self):
        return f"attendance {self.pk} at shift {self.shift_id}"

    @property
    def is_open(self) -> bool:
        return self.checked_out_at is None


class HourEntry(models.Model):
    class Source(models.TextChoices):
        ATTENDANCE = "attendance", _("Check-in and check-out")
        REMOTE = "remote", _("Submitted by the volunteer")
        CORRECTION = "correction", _("Correction")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("hours status", "Rejected")
        SUPERSEDED = "superseded", _("Replaced by a correction")

    # Entries that count against overlaps (and, once approved, in the totals).
    LIVE_STATUSES = (Status.PENDING, Status.APPROVED)

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hour_entries",
        verbose_name=_("volunteer"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="hour_entries",
        verbose_name=_("organization"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.PROTECT,
        related_name="hour_entries",
        verbose_name=_("opportunity"),
    )
    shift = models.ForeignKey(
        Shift,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hour_entries",
        verbose_name=_("shift"),
    )
    attendance = models.ForeignKey(
        Attendance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hour_entries",
        verbose_name=_("attendance"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to="hours/evidence/%Y/%m/",
        storage=private_storage,
        blank=True,
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("hour entry")
        verbose_name_plural = _("hour entries")
        indexes = [
            models.Index(fields=["volunteer", "starts_at"], name="hourentry_volunteer_idx"),
            models.Index(fields=["organization", "status"], name="hourentry_org_status_idx"),
            models.Index(fields=["opportunity", "status"], name="hourentry_opp_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="hourentry_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="hourentry_minutes_positive"),
            # One attendance gives at most one live entry (a correction supersedes it first).
            models.UniqueConstraint(
                fields=["attendance"],
                condition=Q(attendance__isnull=False, status__in=["pending", "approved"]),
                name="hourentry_one_live_per_attendance",
            ),
        ]

    def __str__(self):
        return f"hour entry {self.pk} of {self.volunteer_id}"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


# --- Evaluations after a shift (ataa.hours.evaluations) -----------------------------------------


class VolunteerEvaluation(models.Model):
    """A coordinator's evaluation of a volunteer's attendance at a shift, once they checked out
    or the shift ended: attendance and quality of the work (1–5) and a private note that only
    the organization's admins and coordinators read (never the volunteer, never the audit
    log). Managers of the organization may change it; who and when of the last change are
    kept."""

    attendance = models.OneToOneField(
        Attendance,
        on_delete=models.PROTECT,
        related_name="evaluation",
        verbose_name=_("attendance"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("volunteer"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="volunteer_evaluations",
        verbose_name=_("organization"),
    )
    attendance_score = models.PositiveSmallIntegerField(_("attendance (1 to 5)"))
    quality_score = models.PositiveSmallIntegerField(_("quality of the work (1 to 5)"))
    private_note = models.TextField(_("private note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    created_at = models.DateTimeField(_("evaluated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evaluation of a volunteer")
        verbose_name_plural = _("evaluations of volunteers")
        indexes = [models.Index(fields=["volunteer"], name="evaluation_volunteer_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_score__gte=1, attendance_score__lte=5),
                name="evaluation_attendance_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(quality_score__gte=1, quality_score__lte=5),
                name="evaluation_quality_1_to_5",
            ),
        ]

    def __str__(self):
        return f"evaluation of attendance {self.attendance_id}"


class ExperienceRating(models.Model):
    """A volunteer's rating of their experience of a shift (1–5) with an optional comment the
    organization reads; once per attendance, after they checked out or the shift ended."""

    attendance = models.OneToOneField(
        Attendance,
        on_delete=models.PROTECT,
        related_name="experience_rating",
        verbose_name=_("attendance"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="experience_ratings",
        verbose_name=_("volunteer"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="experience_ratings",
        verbose_name=_("organization"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.PROTECT,
        related_name="experience_ratings",
        verbose_name=_("opportunity"),
    )
    score = models.PositiveSmallIntegerField(_("rating (1 to 5)"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rating of a shift")
        verbose_name_plural = _("ratings of shifts")
        indexes = [
            models.Index(fields=["organization", "opportunity"], name="rating_org_opp_idx"),
            models.Index(fields=["volunteer"], name="rating_volunteer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"rating of attendance {self.attendance_id}"
