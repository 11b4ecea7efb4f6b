import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ataa.core.models import BilingualName, City, District
from ataa.core.storage import private_storage


class VolunteeringField(BilingualName, models.Model):
    """A field of volunteering (health, education, relief …): groups skills and opportunities."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("field of volunteering")
        verbose_name_plural = _("fields of volunteering")

    def __str__(self):
        return self.name


class Skill(BilingualName, models.Model):
    """A skill of the bilingual taxonomy (seeded; platform admins extend it in Django admin)."""

    field = models.ForeignKey(
        VolunteeringField, on_delete=models.PROTECT, related_name="skills", verbose_name=_("field")
    )
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        ordering = ["field__position", "name_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name


class QualificationKind(BilingualName, models.Model):
    """A qualification an opportunity may require and a coordinator verifies (first aid …)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    expires = models.BooleanField(
        _("expires"), default=True, help_text=_("Whether a proof of it carries an expiry date.")
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("kind of qualification")
        verbose_name_plural = _("kinds of qualification")

    def __str__(self):
        return self.name


# --- The volunteer profile --------------------------------------------------------------------

ADULT_AGE = 18
MAX_PARTY_SIZE = 50


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class WorkMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    REMOTE = "remote", _("Remote")
    BOTH = "both", _("On site or remote")


class SpokenLanguage(models.TextChoices):
    """Languages volunteers commonly speak in the region (ISO 639-1, plus Arabic Sign Language)."""

    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    URDU = "ur", _("Urdu")
    HINDI = "hi", _("Hindi")
    BENGALI = "bn", _("Bengali")
    TAGALOG = "tl", _("Tagalog")
    INDONESIAN = "id", _("Indonesian")
    PERSIAN = "fa", _("Persian")
    TURKISH = "tr", _("Turkish")
    SOMALI = "so", _("Somali")
    AMHARIC = "am", _("Amharic")
    SWAHILI = "sw", _("Swahili")
    SPANISH = "es", _("Spanish")
    ARABIC_SIGN = "sign-ar", _("Arabic Sign Language")


class Weekday(models.TextChoices):
    """Days of the week, in the order of the week in the region (it starts on Sunday)."""

    SUNDAY = "sun", _("Sunday")
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")
    SATURDAY = "sat", _("Saturday")


class DayPeriod(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


def availability_slot(day: str, period: str) -> str:
    """The stored code of one weekly slot: "sun-morning"."""
    return f"{day}-{period}"


AVAILABILITY_SLOTS = [
    availability_slot(day, period) for day in Weekday.values for period in DayPeriod.values
]


def age_on(date_of_birth, day) -> int:
    """Whole years between a date of birth and `day` (a birthday on 29 February counts on 1 March
    in years without one)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


class VolunteerProfile(models.Model):
    """What a person tells organizations about themself as a volunteer (one per user).

    Written only by `volunteer_profile_save`; phone and date of birth are shown to organizations
    only where the privacy settings say so.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_profile",
        verbose_name=_("user"),
    )
    full_name_ar = models.CharField(_("full name in Arabic"), max_length=200)
    full_name_latin = models.CharField(_("full name in Latin script"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"))
    phone = models.CharField(_("mobile phone"), max_length=32)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="volunteer_profiles", verbose_name=_("skills")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Codes of SpokenLanguage.")
    )
    interests = models.ManyToManyField(
        VolunteeringField,
        blank=True,
        related_name="interested_profiles",
        verbose_name=_("areas of interest"),
    )
    availability = models.JSONField(
        _("weekly availability"),
        default=list,
        blank=True,
        help_text=_("Slots such as sun-morning: a weekday and a part of the day."),
    )
    work_mode = models.CharField(
        _("way of volunteering"), max_length=8, choices=WorkMode.choices, default=WorkMode.BOTH
    )
    needs_wheelchair_access = models.BooleanField(_("uses a wheelchair"), default=False)
    needs_visual_support = models.BooleanField(_("blind or low vision"), default=False)
    needs_hearing_support = models.BooleanField(_("deaf or hard of hearing"), default=False)
    accessibility_notes = models.TextField(_("other accessibility needs"), blank=True)
    emergency_contact_name = models.CharField(
        _("emergency contact's name"), max_length=200, blank=True
    )
    emergency_contact_phone = models.CharField(
        _("emergency contact's phone"), max_length=32, blank=True
    )
    is_group = models.BooleanField(_("a group volunteering together"), default=False)
    party_size = models.PositiveSmallIntegerField(_("number of people"), default=1)
    share_phone_with_organizations = models.BooleanField(
        _("organizations may see my phone number"), default=False
    )
    share_date_of_birth = models.BooleanField(
        _("organizations may see my date of birth"), default=False
    )
    share_evaluations_with_organizations = models.BooleanField(
        _("organizations may see my average evaluations"), default=False
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=32, blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        indexes = [models.Index(fields=["city", "district"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(is_group=True, party_size__gte=2)
                    | models.Q(is_group=False, party_size=1)
                ),
                name="volunteerprofile_party_size_fits_group",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="volunteerprofile_map_point_valid",
            ),
        ]

    def __str__(self):
        return self.full_name_ar

    def age_on(self, day) -> int:
        return age_on(self.date_of_birth, day)

    @property
    def is_minor(self) -> bool:
        """Under 18 on today's date (in the platform's time zone)."""
        return self.age_on(timezone.localdate()) < ADULT_AGE


class ConsentPurpose(models.TextChoices):
    PROFILE_PROCESSING = "profile_processing", _("Processing my volunteer profile")
    CONTACT_BY_ORGANIZATIONS = "contact_by_organizations", _("Organizations may contact me")
    DATA_SHARING_FOR_MATCHING = (
        "data_sharing_for_matching",
        _("Using my profile to suggest opportunities that fit me"),
    )


# The version of the consent wording shown on the profile page and in the API's documentation.
CONSENT_WORDING_VERSION = "2026-1"


class ConsentRecord(models.Model):
    """One consent for one purpose: given at a time, and perhaps withdrawn later.

    Append-only: giving consent adds a row; withdrawing sets `withdrawn_at` on the open row once;
    giving it again adds a new row. Rows are never deleted (except with the profile, on erasure).
    """

    profile = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("volunteer profile"),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    wording_version = models.CharField(_("version of the wording"), max_length=16)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["profile_id", "purpose", "-given_at"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consentrecord_one_open_per_purpose",
            )
        ]

    def __str__(self):
        return f"{self.purpose} ({self.wording_version})"

    def delete(self, *args, **kwargs):
        raise TypeError("Consent records are append-only.")

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


def qualification_proof_path(instance, filename: str) -> str:
    """A random name: the uploaded file's own name may carry personal data."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"qualifications/{uuid.uuid4().hex}.{extension}"


class Qualification(models.Model):
    """A qualification a volunteer holds, with an uploaded proof a coordinator verifies."""

    profile = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("volunteer profile"),
    )
    kind = models.ForeignKey(
        QualificationKind,
        on_delete=models.PROTECT,
        related_name="qualifications",
        verbose_name=_("kind of qualification"),
    )
    # In the private storage: no public URL; coordinators download it through an access check.
    proof = models.FileField(
        _("proof"), upload_to=qualification_proof_path, storage=private_storage, max_length=200
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified for organization"),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self):
        return str(self.kind)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def is_expired_on(self, day) -> bool:
        return self.expires_on is not None and self.expires_on < day
