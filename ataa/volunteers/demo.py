"""Demo volunteers: the demo volunteer's full profile in Jeddah, and 2,000 more across the cities.

The demo volunteer's profile goes through `volunteer_profile_save`, like real use. The 2,000 others
are bulk-created (users, email addresses, profiles, consents, skills, interests) in a handful of
queries, so `seed_demo` stays fast; they are found again by their emails, so a second run adds
nothing. Names are generated from common Arabic given and family names with a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ataa.accounts.demo import VOLUNTEER_EMAIL, demo_password_hash
from ataa.accounts.models import User
from ataa.core.demo import demo_email, demo_login, demo_seeder
from ataa.core.models import City
from ataa.volunteers import services
from ataa.volunteers.models import (
    AVAILABILITY_SLOTS,
    CONSENT_WORDING_VERSION,
    ConsentPurpose,
    ConsentRecord,
    Gender,
    Skill,
    VolunteeringField,
    VolunteerProfile,
    WorkMode,
)

EXTRA_VOLUNTEERS = 2000

demo_login(
    order=60,
    role=_("Volunteer"),
    email=VOLUNTEER_EMAIL,
    note=_("A full volunteer profile in Jeddah; no organization yet."),
)

FEMALE_NAMES = [
    "نورة", "سارة", "ريم", "لمى", "هند", "مريم", "فاطمة", "عائشة", "جود", "رهف",
    "شهد", "دانة", "غدير", "أمل", "هيا", "منيرة", "ليان", "رنا", "أسماء", "بشرى",
]  # fmt: skip
MALE_NAMES = [
    "محمد", "أحمد", "عبدالله", "خالد", "فهد", "سلطان", "عمر", "يوسف", "إبراهيم", "سعد",
    "ناصر", "تركي", "بدر", "ماجد", "فيصل", "عبدالرحمن", "حمد", "راشد", "مشعل", "زياد",
]  # fmt: skip
FATHER_NAMES = ["علي", "صالح", "حسن", "عبدالعزيز", "منصور", "سليمان", "ناصر", "حمد", "سعيد"]
FAMILY_NAMES = [
    "العتيبي", "الغامدي", "الزهراني", "القحطاني", "الشهري", "الحربي", "الدوسري", "المطيري",
    "السبيعي", "الشمري", "العنزي", "البلوشي", "الكعبي", "المري", "النعيمي", "الهاشمي",
    "الأنصاري", "الجهني", "العمري", "الفارسي",
]  # fmt: skip
LANGUAGE_MIXES = [["ar"], ["ar", "en"], ["ar", "en"], ["ar", "ur"], ["ar", "fr"], ["ar", "sign-ar"]]


@demo_seeder(order=30)
def seed_volunteer_profiles() -> int:
    return _seed_demo_volunteer() + _seed_extra_volunteers()


def _seed_demo_volunteer() -> int:
    user = User.objects.filter(email=VOLUNTEER_EMAIL).first()
    if user is None or VolunteerProfile.objects.filter(user=user).exists():
        return 0
    jeddah = City.objects.get(code="jeddah")
    today = timezone.localdate()
    services.volunteer_profile_save(
        user=user,
        full_name_ar="ريم خالد الدوسري",
        full_name_latin="Reem Khalid Aldosari",
        gender=Gender.FEMALE,
        date_of_birth=dt.date(today.year - 27, 3, 14),
        phone="+966 55 210 4478",
        city=jeddah,
        district=jeddah.districts.filter(code="al-rawdah").first(),
        latitude=None,
        longitude=None,
        skills=Skill.objects.filter(code__in=["first-aid", "tutoring", "translation-ar-en"]),
        languages=["ar", "en"],
        interests=VolunteeringField.objects.filter(code__in=["health", "education", "relief"]),
        availability=["sun-evening", "tue-evening", "fri-morning", "sat-morning"],
        work_mode=WorkMode.BOTH,
        accessibility_notes="",
        emergency_contact_name="خالد الدوسري",
        emergency_contact_phone="+966 50 771 2290",
        share_phone_with_organizations=True,
        consents=set(ConsentPurpose.values),
    )
    return 1


def _seed_extra_volunteers() -> int:
    emails = [demo_email(f"volunteer-{number:03d}") for number in range(1, EXTRA_VOLUNTEERS + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [email for email in emails if email not in existing]
    if not missing:
        return 0
    rng = random.Random(2026)
    cities = list(City.objects.prefetch_related("districts"))
    skills = list(Skill.objects.values_list("pk", "field_id"))
    fields = list(VolunteeringField.objects.values_list("pk", flat=True))
    password = demo_password_hash()
    today = timezone.localdate()
    now = timezone.now()

    people = []
    for email in missing:
        gender = rng.choice(Gender.values)
        given = rng.choice(FEMALE_NAMES if gender == Gender.FEMALE else MALE_NAMES)
        name = f"{given} {rng.choice(FATHER_NAMES)} {rng.choice(FAMILY_NAMES)}"
        people.append((email, gender, name))
    users = User.objects.bulk_create(
        [User(email=email, full_name=name, password=password) for email, _g, name in people]
    )
    if not all(user.pk for user in users):  # backends that do not return ids (none of ours)
        users = list(User.objects.filter(email__in=missing).order_by("email"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    profiles = []
    for user, (_email, gender, name) in zip(users, people, strict=True):
        city = rng.choice(cities)
        districts = list(city.districts.all())
        is_group = rng.random() < 0.1
        age = rng.randint(18, 64)
        profiles.append(
            VolunteerProfile(
                user=user,
                full_name_ar=name,
                gender=gender,
                date_of_birth=today - dt.timedelta(days=age * 365 + rng.randint(0, 360)),
                phone=f"+9665{rng.randint(0, 99_999_999):08d}",
                city=city,
                district=rng.choice(districts) if districts else None,
                languages=rng.choice(LANGUAGE_MIXES),
                availability=sorted(
                    rng.sample(AVAILABILITY_SLOTS, rng.randint(2, 6)), key=AVAILABILITY_SLOTS.index
                ),
                work_mode=rng.choice(WorkMode.values),
                needs_wheelchair_access=rng.random() < 0.04,
                needs_visual_support=rng.random() < 0.02,
                needs_hearing_support=rng.random() < 0.02,
                is_group=is_group,
                party_size=rng.randint(2, 8) if is_group else 1,
                created_at=now,
                updated_at=now,
            )
        )
    profiles = VolunteerProfile.objects.bulk_create(profiles)
    if not all(profile.pk for profile in profiles):
        profiles = list(VolunteerProfile.objects.filter(user__in=users).order_by("user__email"))

    skill_links, interest_links, consents = [], [], []
    for profile in profiles:
        chosen = rng.sample(skills, rng.randint(1, 4))
        skill_links += [
            VolunteerProfile.skills.through(volunteerprofile_id=profile.pk, skill_id=pk)
            for pk, _field in chosen
        ]
        interest_ids = {field_id for _pk, field_id in chosen} | set(rng.sample(fields, 1))
        interest_links += [
            VolunteerProfile.interests.through(
                volunteerprofile_id=profile.pk, volunteeringfield_id=pk
            )
            for pk in interest_ids
        ]
        purposes = [ConsentPurpose.PROFILE_PROCESSING, ConsentPurpose.DATA_SHARING_FOR_MATCHING]
        if rng.random() < 0.7:
            purposes.append(ConsentPurpose.CONTACT_BY_ORGANIZATIONS)
        consents += [
            ConsentRecord(
                profile=profile,
                purpose=purpose,
                wording_version=CONSENT_WORDING_VERSION,
                given_at=now,
            )
            for purpose in purposes
        ]
    VolunteerProfile.skills.through.objects.bulk_create(skill_links)
    VolunteerProfile.interests.through.objects.bulk_create(interest_links)
    ConsentRecord.objects.bulk_create(consents)
    return len(users)
