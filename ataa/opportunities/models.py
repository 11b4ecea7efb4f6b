"""Volunteering opportunities, their shifts, their application questions and the applications.

An application to a shift fills the shift's places (`Shift.capacity`); one to an opportunity
without a shift fills the opportunity's (`Opportunity.capacity`). A group takes `party_size`
places.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ataa.core.models import City, District
from ataa.organizations.models import Organization
from ataa.volunteers.models import QualificationKind, Skill, VolunteeringField


def new_share_token() -> str:
    """An unguessable key for the link of an unlisted opportunity (256 bits)."""
    return secrets.token_urlsafe(32)


class Opportunity(models.Model):
    class WorkMode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("Hybrid")

    class Gender(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        WOMEN = "women", _("Women")
        MEN = "men", _("Men")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        UNLISTED = "unlisted", _("Unlisted: only people with the link")
        MEMBERS = "members", _("Members of the organization only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="opportunities",
        verbose_name=_("organization"),
    )
    title_ar = models.CharField(_("title in Arabic"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    field = models.ForeignKey(
        VolunteeringField,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("field of volunteering"),
    )
    work_mode = models.CharField(
        _("where"), max_length=16, choices=WorkMode.choices, default=WorkMode.ON_SITE
    )
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("city"),
    )
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    geofence_radius_m = models.PositiveIntegerField(
        _("check-in radius (m)"),
        null=True,
        blank=True,
        help_text=_(
            "If set, volunteers check in by the code only within this distance of the map point."
        ),
    )
    exact_address = models.TextField(
        _("exact address"),
        blank=True,
        help_text=_("Shown only to accepted volunteers."),
    )
    required_skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("required skills")
    )
    preferred_skills = models.ManyToManyField(
        Skill,
        blank=True,
        related_name="+",
        verbose_name=_("preferred skills"),
    )
    required_qualifications = models.ManyToManyField(
        QualificationKind, blank=True, related_name="+", verbose_name=_("required qualifications")
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    gender_eligibility = models.CharField(
        _("who may take part"), max_length=16, choices=Gender.choices, default=Gender.EVERYONE
    )
    capacity = models.PositiveIntegerField(_("volunteers needed"), default=1)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    share_token = models.CharField(
        _("link key"), max_length=64, unique=True, default=new_share_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_emergency = models.BooleanField(_("emergency"), default=False)
    suitable_for_disabilities = models.BooleanField(
        _("suitable for people with disabilities"), default=False
    )
    # search_key() of the titles, descriptions, organization and place names (services keep it).
    search_text = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(
                fields=["status", "visibility", "-published_at"], name="opportunity_public_idx"
            ),
            models.Index(fields=["organization", "status"], name="opportunity_org_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=F("age_max")),
                name="opportunity_age_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="opportunity_date_range",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="opportunity_capacity"),
        ]

    def __str__(self):
        return self.title or f"opportunity {self.pk}"

    @property
    def title(self) -> str:
        english = (get_language() or "ar").startswith("en")
        return (self.title_en or self.title_ar) if english else (self.title_ar or self.title_en)

    @property
    def description(self) -> str:
        english = (get_language() or "ar").startswith("en")
        if english:
            return self.description_en or self.description_ar
        return self.description_ar or self.description_en

    @property
    def is_remote(self) -> bool:
        return self.work_mode == self.WorkMode.REMOTE


class Shift(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("opportunity")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("volunteers needed"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_time_range"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="shift_capacity"),
            models.UniqueConstraint(
                fields=["opportunity", "starts_at"], name="shift_unique_start_per_opportunity"
            ),
        ]

    def __str__(self):
        return f"shift {self.pk} of {self.opportunity_id}"


class ApplicationQuestion(models.Model):
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("opportunity"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_ar = models.CharField(_("question in Arabic"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)

    class Meta:
        ordering = ["opportunity_id", "position", "id"]
        verbose_name = _("application question")
        verbose_name_plural = _("application questions")

    def __str__(self):
        return f"question {self.pk} of {self.opportunity_id}"

    @property
    def text(self) -> str:
        english = (get_language() or "ar").startswith("en")
        return (self.text_en or self.text_ar) if english else self.text_ar


class Application(models.Model):
    """A volunteer's application to an opportunity, or to one of its shifts.

    Written only by the services (ataa.opportunities.applications). The waitlist is ordered by
    `created_at`, then `id`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", pgettext_lazy("application status", "Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not come")

    class CancelReason(models.TextChoices):
        """Why the organization cancelled an application (audited as this code)."""

        SHIFT_CALLED_OFF = "shift_called_off", _("The shift is called off")
        VOLUNTEER_ASKED = "volunteer_asked", _("The volunteer asked to cancel")
        REQUIREMENTS_NOT_MET = "requirements_not_met", _("The requirements are no longer met")
        FEWER_PLACES = "fewer_places", _("Fewer volunteers are needed")
        OTHER = "other", _("Another reason")

    ACTIVE_STATUSES = (Status.PENDING, Status.ACCEPTED, Status.WAITLISTED)

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("opportunity"),
    )
    shift = models.ForeignKey(
        Shift,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("shift"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    answers = models.JSONField(
        _("answers"), default=dict, blank=True, help_text=_("Answers by question id.")
    )
    party_size = models.PositiveSmallIntegerField(_("number of people"), default=1)
    created_at = models.DateTimeField(_("applied"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=32, choices=CancelReason.choices, blank=True
    )
    cancel_note = models.TextField(_("note on the cancelling"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["opportunity", "status"], name="application_opp_status_idx"),
            models.Index(fields=["shift", "status"], name="application_shift_status_idx"),
            models.Index(fields=["volunteer", "status"], name="application_volunteer_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "opportunity"],
                condition=Q(shift__isnull=True, status__in=["pending", "accepted", "waitlisted"]),
                name="application_one_active_per_opportunity",
            ),
            models.UniqueConstraint(
                fields=["volunteer", "shift"],
                condition=Q(shift__isnull=False, status__in=["pending", "accepted", "waitlisted"]),
                name="application_one_active_per_shift",
            ),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="application_party_size"),
        ]

    def __str__(self):
        return f"application {self.pk} to {self.opportunity_id}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class CalendarFeed(models.Model):
    """A volunteer's private calendar feed (iCal) of their accepted places.

    The feed's address carries a random token; only its SHA-256 is stored, so the address is
    shown once, when it is made. One per person: a new link replaces the token (the old address
    stops working at once), and turning the feed off deletes the row. Written only by the
    services of ataa.opportunities.calendar_feed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("person"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"calendar feed {self.pk} of {self.user_id}"
