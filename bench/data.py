"""Synthetic data for the benchmarks, on top of the demo data, written in bulk.

`generate()` is the hook bench/run.py calls after `seed_demo`. Each later issue extends it with
its own tables (opportunities, applications, beneficiaries, …), written with `bulk_create` or,
for millions of rows on PostgreSQL, COPY (`cursor.copy()` of psycopg 3). It is deterministic for
a given seed, so two runs measure the same data.

Today: a few hundred active organizations with admins and staff carrying realistic Arabic names,
the demo coordinator in many of them (so their organization list fills a page) and extra staff
in the demo Jeddah charity (so its member list fills a page).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

MALE_NAMES = [
    "محمد",
    "أحمد",
    "عبدالله",
    "عبدالرحمن",
    "خالد",
    "فهد",
    "سعود",
    "سلطان",
    "فيصل",
    "عمر",
    "علي",
    "حسن",
    "ناصر",
    "سعد",
    "تركي",
    "ماجد",
    "عبدالعزيز",
    "يوسف",
    "إبراهيم",
    "بندر",
    "نايف",
    "راشد",
    "حمد",
    "جاسم",
    "عيسى",
    "مشعل",
    "بدر",
    "طلال",
    "منصور",
    "صالح",
]
FEMALE_NAMES = [
    "نورة",
    "سارة",
    "فاطمة",
    "مريم",
    "هيفاء",
    "ريم",
    "لطيفة",
    "منيرة",
    "عائشة",
    "أسماء",
    "هند",
    "الجوهرة",
    "نوف",
    "شهد",
    "لمى",
    "رهف",
    "دانة",
    "العنود",
    "أمل",
    "حصة",
    "وعد",
    "جود",
    "ليان",
    "بشاير",
    "غادة",
    "خلود",
    "منى",
    "هيا",
]
FAMILY_NAMES = [
    "الحربي",
    "القحطاني",
    "الغامدي",
    "الزهراني",
    "العتيبي",
    "الشمري",
    "الدوسري",
    "المطيري",
    "العنزي",
    "السبيعي",
    "الشهري",
    "المالكي",
    "البلوي",
    "الرشيدي",
    "الجهني",
    "الكواري",
    "المهيري",
    "البنعلي",
    "الهاجري",
    "العمري",
    "باوزير",
    "الأنصاري",
    "السلمي",
    "الثبيتي",
    "اليامي",
    "المري",
    "الكعبي",
    "النعيمي",
    "الظاهري",
    "الخالدي",
]
CITIES = (
    ("جدة", "Jeddah"),
    ("الرياض", "Riyadh"),
    ("مكة المكرمة", "Makkah"),
    ("المدينة المنورة", "Madinah"),
    ("الدمام", "Dammam"),
    ("أبها", "Abha"),
    ("تبوك", "Tabuk"),
    ("دبي", "Dubai"),
    ("أبوظبي", "Abu Dhabi"),
    ("الدوحة", "Doha"),
    ("المنامة", "Manama"),
    ("مسقط", "Muscat"),
    ("مدينة الكويت", "Kuwait City"),
    ("عمّان", "Amman"),
)
VIRTUES = (
    ("البر", "Al-Birr"),
    ("الإحسان", "Al-Ihsan"),
    ("الخير", "Al-Khair"),
    ("النور", "Al-Noor"),
    ("الأمل", "Al-Amal"),
    ("الوفاء", "Al-Wafa"),
    ("التكافل", "Al-Takaful"),
    ("الرحمة", "Al-Rahma"),
    ("السلام", "Al-Salam"),
    ("العطاء", "Al-Ataa"),
    ("الهدى", "Al-Huda"),
    ("البركة", "Al-Baraka"),
)
# (kind, Arabic pattern, English pattern)
ORGANIZATION_PATTERNS = (
    ("charity", "جمعية {virtue} الخيرية ب{city}", "{virtue} Charitable Society, {city}"),
    ("charity", "جمعية {virtue} لرعاية الأيتام ب{city}", "{virtue} Orphan Care Society, {city}"),
    ("government", "مركز {virtue} للتنمية الاجتماعية ب{city}", "{virtue} Social Centre, {city}"),
    ("company", "فريق المسؤولية المجتمعية لشركة {virtue}", "{virtue} Company CSR Team, {city}"),
    ("volunteer_team", "فريق {virtue} التطوعي ب{city}", "{virtue} Volunteer Team, {city}"),
)
STAFF_ROLES = ("coordinator", "coordinator", "case_worker", "case_worker", "auditor")
VERSION = 1  # of what generate() writes (bench/run.py keeps a database with the same data set)

BENCH_EMAIL_DOMAIN = "bench.ataa.test"
JEDDAH_CHARITY = "NCNP-1187"  # the demo Jeddah charity (ataa/organizations/demo.py)
COORDINATOR_EMAIL = "coordinator@demo.ataa.test"


@dataclass(frozen=True)
class Scale:
    organizations: int = 300
    staff_per_organization: tuple[int, int] = (2, 12)
    coordinator_memberships: int = 40  # extra organizations of the demo coordinator
    jeddah_extra_staff: int = 120


def arabic_full_name(rng: random.Random) -> str:
    first = rng.choice(MALE_NAMES if rng.random() < 0.5 else FEMALE_NAMES)
    return f"{first} {rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}"


@transaction.atomic
def generate(*, scale: Scale = Scale(), seed: int = 2026) -> dict[str, int]:
    """Add the synthetic rows; return how many of each were created."""
    from ataa.accounts.models import User
    from ataa.core.models import City
    from ataa.organizations.models import Membership, Organization

    rng = random.Random(seed)
    now = timezone.now()
    # Nobody signs in as a synthetic user: one unusable password, no hashing per row.
    password = make_password(None)
    user_counter = 0

    def new_users(count: int) -> list[User]:
        nonlocal user_counter
        users = []
        for _ in range(count):
            user_counter += 1
            users.append(
                User(
                    email=f"staff-{user_counter:06d}@{BENCH_EMAIL_DOMAIN}",
                    full_name=arabic_full_name(rng),
                    password=password,
                    preferred_language="en" if rng.random() < 0.1 else "ar",
                    date_joined=now,
                )
            )
        return users

    cities = {city.name_en: city for city in City.objects.all()}
    organizations, admins, staff_plan = [], [], []
    for index in range(1, scale.organizations + 1):
        kind, pattern_ar, pattern_en = rng.choice(ORGANIZATION_PATTERNS)
        (virtue_ar, virtue_en), (city_ar, city_en) = rng.choice(VIRTUES), rng.choice(CITIES)
        organizations.append(
            Organization(
                name_ar=pattern_ar.format(virtue=virtue_ar, city=city_ar),
                name_en=pattern_en.format(virtue=virtue_en, city=city_en),
                kind=kind,
                city=cities.get(city_en),
                registration_number=f"BENCH-{index:05d}",
                is_verified=True,
                status=Organization.Status.ACTIVE,
                created_at=now,
                decided_at=now,
            )
        )
        staff_plan.append(rng.randint(*scale.staff_per_organization))
    admins = User.objects.bulk_create(new_users(len(organizations)), batch_size=1000)
    for organization, admin in zip(organizations, admins, strict=True):
        organization.created_by = admin
    organizations = Organization.objects.bulk_create(organizations, batch_size=1000)
    staff = User.objects.bulk_create(new_users(sum(staff_plan)), batch_size=1000)

    memberships = []
    staff_iter = iter(staff)
    for organization, admin, count in zip(organizations, admins, staff_plan, strict=True):
        memberships.append(Membership(user=admin, organization=organization, role="admin"))
        for _ in range(count):
            role = rng.choice(STAFF_ROLES)
            member = next(staff_iter)
            memberships.append(Membership(user=member, organization=organization, role=role))

    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    for organization in rng.sample(organizations, scale.coordinator_memberships):
        memberships.append(
            Membership(user=coordinator, organization=organization, role="coordinator")
        )

    jeddah = Organization.objects.get(registration_number=JEDDAH_CHARITY)
    jeddah_staff = User.objects.bulk_create(new_users(scale.jeddah_extra_staff), batch_size=1000)
    memberships += [
        Membership(user=user, organization=jeddah, role=rng.choice(STAFF_ROLES))
        for user in jeddah_staff
    ]
    Membership.objects.bulk_create(memberships, batch_size=1000)
    return {
        "organizations": len(organizations),
        "users": len(admins) + len(staff) + len(jeddah_staff),
        "memberships": len(memberships),
    }
