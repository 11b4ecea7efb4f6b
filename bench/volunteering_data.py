"""Synthetic volunteering at national scale: volunteers, opportunities, shifts and applications.

`generate()` writes, for `VolunteeringScale()` (the issue's scale):

- 1,000,000 volunteers: users (one precomputed password hash, the demo password), verified email
  addresses, volunteer profiles with Arabic names (and their Latin spelling), cities, districts,
  phones, skills, interests and consents;
- 100,000 opportunities of the active organizations, with bilingual titles and descriptions built
  from phrase parts (so the trigram search meets real text), fields, places, work modes, dates,
  eligibility rules, mostly published; `search_text` computed by the services' own
  `compute_search_text`; a fifth of the on-site ones with weekly shifts;
- 5,000,000 applications: one per volunteer and opportunity, only where the volunteer meets the
  hard rules (age, gender, required skills; none to opportunities needing qualifications), to a
  shift where the opportunity has shifts, with statuses that follow the dates, and never more
  accepted places than the capacity.

On PostgreSQL the rows go through COPY (psycopg 3), each big table with its indexes and
constraints dropped for the load and built again after it (bench/bulk.py), then VACUUM ANALYZE.
On SQLite the same rows go through executemany (for small scales only).

Deterministic for a seed and a day: dates are drawn relative to the start of the day of the
generation (opportunities around "now" stay realistic), everything else only from the seed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from bench import bulk
from bench.data import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES

GENERATOR_VERSION = 1
EMAIL_DOMAIN = "bench.ataa.test"
Log = Callable[[str], None]


@dataclass(frozen=True)
class VolunteeringScale:
    volunteers: int = 1_000_000
    opportunities: int = 100_000
    applications: int = 5_000_000
    shift_share: float = 0.2  # of the on-site and hybrid opportunities with dates

    @classmethod
    def fraction(cls, fraction: float) -> VolunteeringScale:
        """The issue's scale times `fraction` (0.01: 10,000 volunteers, 1,000 opportunities …)."""
        full = cls()
        return cls(
            volunteers=max(20, round(full.volunteers * fraction)),
            opportunities=max(10, round(full.opportunities * fraction)),
            applications=max(20, round(full.applications * fraction)),
        )

    def as_dict(self) -> dict:
        return asdict(self)


def volunteer_email(number: int) -> str:
    return f"v{number:07d}@{EMAIL_DOMAIN}"


# --- Names and phrases ---------------------------------------------------------------------------

LATIN_MALE = [
    "Mohammed", "Ahmed", "Abdullah", "Abdulrahman", "Khalid", "Fahad", "Saud", "Sultan", "Faisal",
    "Omar", "Ali", "Hassan", "Nasser", "Saad", "Turki", "Majed", "Abdulaziz", "Yousef", "Ibrahim",
    "Bandar", "Naif", "Rashid", "Hamad", "Jassim", "Isa", "Mishal", "Badr", "Talal", "Mansour",
    "Saleh",
]  # fmt: skip
LATIN_FEMALE = [
    "Noura", "Sara", "Fatimah", "Maryam", "Haifa", "Reem", "Latifa", "Munira", "Aisha", "Asma",
    "Hind", "Aljawhara", "Nouf", "Shahad", "Lama", "Rahaf", "Dana", "Alanoud", "Amal", "Hessa",
    "Waad", "Jood", "Layan", "Bashayer", "Ghada", "Kholoud", "Mona", "Haya",
]  # fmt: skip
LATIN_FAMILY = [
    "Al-Harbi", "Al-Qahtani", "Al-Ghamdi", "Al-Zahrani", "Al-Otaibi", "Al-Shammari", "Al-Dosari",
    "Al-Mutairi", "Al-Anazi", "Al-Subaie", "Al-Shehri", "Al-Maliki", "Al-Balawi", "Al-Rashidi",
    "Al-Juhani", "Al-Kuwari", "Al-Muhairi", "Al-Binali", "Al-Hajri", "Al-Omari", "Bawazir",
    "Al-Ansari", "Al-Sulami", "Al-Thubaiti", "Al-Yami", "Al-Marri", "Al-Kaabi", "Al-Nuaimi",
    "Al-Dhaheri", "Al-Khalidi",
]  # fmt: skip
# The Latin spelling of each Arabic name of bench/data.py (for `full_name_latin`).
LATIN = {
    **dict(zip(MALE_NAMES, LATIN_MALE, strict=True)),
    **dict(zip(FEMALE_NAMES, LATIN_FEMALE, strict=True)),
    **dict(zip(FAMILY_NAMES, LATIN_FAMILY, strict=True)),
}

# What people volunteer for, by field of volunteering: (Arabic, English, skill codes).
ACTIVITIES: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "relief": [
        ("توزيع السلال الغذائية", "Food basket distribution", ("food-distribution",)),
        ("إفطار صائم", "Iftar meals for people fasting", ("food-distribution",)),
        ("فرز التبرعات العينية في المستودع", "Sorting donated goods at the warehouse",
         ("warehouse",)),
        ("تجهيز الحقيبة المدرسية", "Packing school bags", ("warehouse",)),
        ("توزيع المياه على العمال", "Water for outdoor workers", ("food-distribution",)),
        ("دعم مراكز الإيواء", "Supporting shelters", ("shelter-support",)),
        ("إغاثة المتضررين من السيول", "Flood relief", ("search-rescue", "first-aid")),
        ("توزيع البطانيات في الشتاء", "Winter blanket distribution", ("food-distribution",)),
        ("تغليف كسوة العيد للأطفال", "Packing Eid clothes for children", ("warehouse",)),
        ("إيصال الوجبات إلى كبار السن", "Delivering meals to the elderly", ("driving",)),
    ],
    "health": [
        ("حملة التبرع بالدم", "Blood donation drive", ("blood-drives",)),
        ("زيارة المرضى في المستشفى", "Visiting patients in hospital", ("elderly-care",)),
        ("التوعية بمرض السكري", "Diabetes awareness", ("health-awareness",)),
        ("الإسعافات الأولية في الفعاليات", "First aid at events", ("first-aid",)),
        ("الدعم النفسي للأسر المتضررة", "Psychological support for affected families",
         ("psychological-first-aid",)),
        ("فحص النظر لطلاب المدارس", "Eye screening for school pupils", ("health-awareness",)),
        ("رعاية كبار السن في دار الرعاية", "Elderly care at the care home", ("elderly-care",)),
        ("التمريض المنزلي للمرضى", "Home nursing for patients", ("nursing",)),
    ],
    "education": [
        ("دروس تقوية في الرياضيات", "Maths tutoring", ("tutoring",)),
        ("حلقات تحفيظ القرآن الكريم", "Quran memorisation circles", ("quran-teaching",)),
        ("محو الأمية للكبار", "Adult literacy classes", ("literacy",)),
        ("الإرشاد المهني للشباب", "Career mentoring for young people", ("mentoring",)),
        ("تعليم البرمجة للأطفال", "Teaching children to code", ("training-delivery",)),
        ("نادي القراءة الصيفي", "Summer reading club", ("tutoring",)),
        ("تعليم اللغة الإنجليزية", "English lessons", ("tutoring",)),
        ("تدريب الأسر المنتجة على التسويق", "Marketing training for home businesses",
         ("training-delivery",)),
    ],
    "technology": [
        ("تطوير موقع الجمعية", "Building the charity's website", ("software-development",)),
        ("إدخال بيانات المستفيدين", "Entering beneficiary records", ("data-entry",)),
        ("تصميم منشورات الحملة", "Designing campaign posters", ("graphic-design",)),
        ("صيانة أجهزة الحاسب", "Computer maintenance", ("it-support",)),
        ("إدارة حسابات التواصل الاجتماعي", "Running social media accounts", ("social-media",)),
        ("تحليل بيانات الاستبيان", "Analysing survey data", ("data-analysis",)),
    ],
    "translation": [
        ("ترجمة محتوى التوعية", "Translating awareness material", ("translation-ar-en",)),
        ("الترجمة بلغة الإشارة في الفعاليات", "Sign language interpreting at events",
         ("sign-language",)),
        ("الترجمة الفورية في المؤتمر", "Interpreting at the conference", ("interpretation",)),
        ("تدقيق التقارير السنوية", "Proofreading the annual reports", ("proofreading",)),
    ],
    "events": [
        ("تنظيم فعالية اليوم الوطني", "National Day event crew", ("event-organization",)),
        ("استقبال الزوار في المعرض الخيري", "Welcoming visitors at the charity fair",
         ("guest-reception",)),
        ("خدمة ضيوف الرحمن في موسم العمرة", "Serving Umrah pilgrims", ("hajj-umrah-service",)),
        ("تنظيم الحشود في المهرجان", "Crowd management at the festival", ("crowd-management",)),
        ("الماراثون الخيري", "Charity marathon", ("event-organization",)),
        ("تصوير الفعاليات", "Event photography", ("photography",)),
    ],
    "environment": [
        ("تنظيف الشاطئ", "Beach clean-up", ("beach-cleanup",)),
        ("زراعة الأشجار في الحدائق العامة", "Planting trees in public parks", ("tree-planting",)),
        ("إعادة التدوير في الأحياء", "Neighbourhood recycling", ("recycling",)),
        ("التوعية البيئية في المدارس", "Environmental awareness in schools",
         ("environmental-awareness",)),
    ],
    "social-support": [
        ("زيارات منزلية للأيتام", "Home visits to orphans", ("home-visits", "orphan-support")),
        ("مرافقة الأشخاص ذوي الإعاقة", "Companions for people with disabilities",
         ("disability-support",)),
        ("دعم الأسر المتعففة هاتفياً", "Phone support for families in need",
         ("family-counselling",)),
        ("جمع التبرعات للمستشفى", "Fundraising for the hospital", ("fundraising",)),
        ("رعاية أطفال الأسر المحتاجة", "Childcare for families in need", ("orphan-support",)),
    ],
}  # fmt: skip

# Endings of a title: (Arabic, English); {city} and {district} are filled in.
TITLE_ENDINGS = [
    ("", ""),
    ("", ""),
    (" في رمضان", " in Ramadan"),
    (" للأيتام", " for orphans"),
    (" لكبار السن", " for the elderly"),
    (" في حي {district}", " in {district}"),
    (" بمدينة {city}", " in {city}"),
    (" في عطلة نهاية الأسبوع", " at the weekend"),
    (" للطالبات", " for female students"),
    (" للشباب", " for young people"),
    (" في المستشفى", " at the hospital"),
    (" في الصيف", " in the summer"),
]
SENTENCES = [
    ("نبحث عن متطوعين ومتطوعات يحبون العمل الميداني.", "We are looking for volunteers who "
     "like field work."),
    ("تبدأ المهمة بعد صلاة العصر وتستمر ثلاث ساعات.", "The task starts in the afternoon and "
     "lasts three hours."),
    ("يحصل كل متطوع على شهادة تطوع وساعات معتمدة.", "Every volunteer receives a certificate and "
     "recorded hours."),
    ("لا نشترط خبرة سابقة، وسيتدرب المشاركون قبل البدء.", "No experience needed: we train you "
     "before you start."),
    ("يتطلب العمل الالتزام بالمواعيد والعمل ضمن فريق.", "You need to be on time and work in a "
     "team."),
    ("المهمة مناسبة للطلاب والطالبات في الإجازة.", "A good fit for students during the "
     "holidays."),
    ("نوفر المواصلات من مقر الجمعية والوجبات للمشاركين.", "We provide transport from our "
     "office and meals."),
    ("يخدم المشروع الأسر المستحقة في الأحياء المجاورة.", "The project serves families in need "
     "in the nearby districts."),
    ("نرحب بذوي الإعاقة ونوفر ما يحتاجونه من تسهيلات.", "People with disabilities are welcome; "
     "tell us what you need."),
    ("سيتواصل معك منسق التطوع بعد قبول طلبك.", "The volunteer coordinator contacts you once "
     "you are accepted."),
    ("انضم إلينا وكن جزءاً من الخير في مدينتك.", "Join us and do good in your city."),
    ("العمل داخل مبنى مكيف ومجهز.", "The work is indoors, in an air-conditioned building."),
]  # fmt: skip
CITY_WEIGHTS = {  # share of the people and opportunities in each city (the rest: weight 1)
    "riyadh": 22, "jeddah": 16, "makkah": 8, "madinah": 6, "dammam": 5, "khobar": 3,
    "ahsa": 3, "taif": 3, "abha": 2, "tabuk": 2, "buraydah": 2, "dubai": 5, "abu-dhabi": 3,
    "sharjah": 2, "doha": 3, "manama": 2, "kuwait-city": 3, "muscat": 2, "amman": 3,
}  # fmt: skip
PHONE_PREFIX = {"SA": "+9665", "AE": "+9715", "QA": "+9745", "BH": "+9733", "KW": "+9656",
                "OM": "+9689", "JO": "+9627"}  # fmt: skip
LANGUAGE_MIXES = [["ar"], ["ar"], ["ar", "en"], ["ar", "en"], ["ar", "ur"], ["ar", "fr"]]
AVAILABILITY = [
    f"{day}-{period}"
    for day in ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
    for period in ("morning", "afternoon", "evening")
]
FUTURE_STATUSES = [("pending", 45), ("accepted", 30), ("waitlisted", 8), ("rejected", 7),
                   ("withdrawn", 8), ("cancelled", 2)]  # fmt: skip
PAST_STATUSES = [("accepted", 55), ("rejected", 17), ("withdrawn", 12), ("cancelled", 5),
                 ("no_show", 6), ("waitlisted", 5)]  # fmt: skip


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    cumulative, total = [], 0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return list(values), cumulative


# --- The generator -------------------------------------------------------------------------------


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, name: str, started: float, rows: int, log: Log) -> None:
        seconds = time.monotonic() - started
        self.seconds[name] = round(seconds, 1)
        self.counts[name] = rows
        rate = f", {rows / seconds:,.0f} rows/s" if seconds > 0 else ""
        log(f"  {name}: {rows:,} rows in {seconds:.1f} s{rate}")


class _Places:
    def __init__(self):
        from ataa.core.models import City, District

        self.cities = list(City.objects.order_by("pk"))
        self.districts: dict[int, list] = {}
        for district in District.objects.order_by("pk"):
            self.districts.setdefault(district.city_id, []).append(district)
        self.city_list, self.city_weights = _weighted(
            [(city, CITY_WEIGHTS.get(city.code, 1)) for city in self.cities]
        )

    def city(self, rng: random.Random):
        return rng.choices(self.city_list, cum_weights=self.city_weights)[0]


def generate(
    *,
    scale: VolunteeringScale = VolunteeringScale(),
    seed: int = 2026,
    log: Log = print,
    defer_indexes: bool | None = None,
) -> Result:
    """Write the volunteering data set; return the rows and seconds of each table."""
    from ataa.organizations.models import Organization

    if defer_indexes is None:
        defer_indexes = scale.applications >= 200_000
    result = Result()
    zone = ZoneInfo(settings.TIME_ZONE)
    anchor = dt.datetime.combine(dt.datetime.now(zone).date(), dt.time(), tzinfo=zone)
    places = _Places()
    organizations = list(
        Organization.objects.filter(status=Organization.Status.ACTIVE).order_by("pk")
    )
    if not organizations:
        raise RuntimeError("the volunteering data needs active organizations: run seed_demo first")
    started_all = time.monotonic()
    with transaction.atomic():
        if bulk.is_postgres():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        volunteers = _volunteers(scale, seed, anchor, places, result, log, defer_indexes)
        opportunities = _opportunities(
            scale, seed, anchor, places, organizations, result, log, defer_indexes
        )
        _applications(scale, seed, anchor, volunteers, opportunities, result, log, defer_indexes)
    _analyze(result, log)
    result.seconds["total"] = round(time.monotonic() - started_all, 1)
    return result


# --- Volunteers ----------------------------------------------------------------------------------


@dataclass
class _Volunteers:
    user_ids: list[int]
    genders: bytearray  # 1 female, 0 male
    birth_ordinals: list[int]  # date.toordinal() of the date of birth
    skills: list[frozenset]  # skill ids
    city_index: bytearray
    party_sizes: bytearray
    guardian_consent: bytearray  # 1: a guardian consented (the minors of today)


def _volunteers(scale, seed, anchor, places, result, log, defer) -> _Volunteers:
    from allauth.account.models import EmailAddress

    from ataa.accounts.demo import demo_password_hash
    from ataa.accounts.models import User
    from ataa.volunteers.models import (
        CONSENT_WORDING_VERSION,
        ConsentPurpose,
        ConsentRecord,
        Skill,
        VolunteeringField,
        VolunteerProfile,
    )

    rng = random.Random(f"{seed}-volunteers")
    password = demo_password_hash()
    skills_by_field: dict[int, list[int]] = {}
    for skill_id, field_id in Skill.objects.values_list("pk", "field_id"):
        skills_by_field.setdefault(field_id, []).append(skill_id)
    field_ids = sorted(skills_by_field) or list(
        VolunteeringField.objects.values_list("pk", flat=True)
    )
    city_position = {city.pk: index for index, city in enumerate(places.cities)}
    today = anchor.date()
    first_user, first_profile = bulk.next_id(User), bulk.next_id(VolunteerProfile)
    first_email = bulk.next_id(EmailAddress)
    skill_link_id = bulk.next_id(VolunteerProfile.skills.through)
    interest_link_id = bulk.next_id(VolunteerProfile.interests.through)
    consent_id = bulk.next_id(ConsentRecord)

    out = _Volunteers([], bytearray(), [], [], bytearray(), bytearray(), bytearray())
    started = time.monotonic()
    user_columns = ["id", "password", "is_superuser", "email", "full_name", "phone",
                    "preferred_language", "is_platform_admin", "is_staff", "is_active",
                    "date_joined"]  # fmt: skip
    profile_columns = ["id", "user_id", "full_name_ar", "full_name_latin", "gender",
                       "date_of_birth", "phone", "city_id", "district_id", "latitude",
                       "longitude", "languages", "availability", "work_mode",
                       "needs_wheelchair_access", "needs_visual_support", "needs_hearing_support",
                       "is_group", "party_size", "share_phone_with_organizations",
                       "share_date_of_birth", "guardian_name", "guardian_phone",
                       "guardian_consent_at", "created_at", "updated_at"]  # fmt: skip
    link_rows: list[tuple] = []
    interest_rows: list[tuple] = []
    consent_rows: list[tuple] = []
    email_rows: list[tuple] = []
    with bulk.deferred_indexes([User, EmailAddress], log, enabled=defer):
        with bulk.TableWriter(User, user_columns) as users:
            profile_rows = []
            for number in range(1, scale.volunteers + 1):
                user_id = first_user + number - 1
                female = rng.random() < 0.5
                given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
                father = rng.choice(MALE_NAMES)
                family = rng.choice(FAMILY_NAMES)
                if rng.random() < 0.4:
                    grandfather = rng.choice(MALE_NAMES)
                    name = f"{given} {father} {grandfather} {family}"
                    latin = f"{LATIN[given]} {LATIN[father]} {LATIN[grandfather]} {LATIN[family]}"
                else:
                    name = f"{given} {father} {family}"
                    latin = f"{LATIN[given]} {LATIN[father]} {LATIN[family]}"
                city = places.city(rng)
                prefix = PHONE_PREFIX.get(city.country, "+9665")
                phone = f"{prefix}{(number * 7919 + 12_345_678) % 100_000_000:08d}"
                email = volunteer_email(number)
                joined = anchor - dt.timedelta(seconds=rng.randrange(3 * 365 * 86400))
                users.write(
                    (user_id, password, False, email, name, phone,
                     "en" if rng.random() < 0.08 else "ar", False, False, True, joined)
                )  # fmt: skip
                email_rows.append((first_email + number - 1, email, True, True, user_id))
                # Ages: mostly 18–40; 3 % minors (15–17) with a guardian's consent.
                roll = rng.random()
                if roll < 0.03:
                    age = rng.randint(15, 17)
                elif roll < 0.80:
                    age = rng.randint(18, 40)
                else:
                    age = rng.randint(41, 70)
                birth = today - dt.timedelta(days=age * 365 + rng.randrange(365) + age // 4)
                minor = age < 18
                districts = places.districts.get(city.pk, [])
                district = rng.choice(districts) if districts and rng.random() < 0.6 else None
                is_group = rng.random() < 0.01
                party = rng.randint(2, 6) if is_group else 1
                point = rng.random() < 0.3 and city.latitude is not None
                profile_id = first_profile + number - 1
                profile_rows.append(
                    (
                        profile_id, user_id, name, latin if rng.random() < 0.7 else "",
                        "female" if female else "male", birth, phone, city.pk,
                        district.pk if district else None,
                        f"{float(city.latitude) + rng.uniform(-0.05, 0.05):.6f}" if point else None,
                        f"{float(city.longitude) + rng.uniform(-0.05, 0.05):.6f}"
                        if point else None,
                        json.dumps(rng.choice(LANGUAGE_MIXES)),
                        json.dumps(sorted(rng.sample(AVAILABILITY, rng.randint(1, 6)),
                                          key=AVAILABILITY.index)),
                        rng.choice(("both", "both", "on_site", "remote")),
                        rng.random() < 0.02, rng.random() < 0.01, rng.random() < 0.01,
                        is_group, party, rng.random() < 0.4, rng.random() < 0.3,
                        f"{father} {family}" if minor else "",
                        f"{prefix}{(number * 104_729 + 7) % 100_000_000:08d}" if minor else "",
                        joined if minor else None, joined, joined,
                    )
                )  # fmt: skip
                # Skills: 0–4 from one or two fields; interests: those fields (and maybe one).
                own_fields = rng.sample(field_ids, 2 if rng.random() < 0.4 else 1)
                chosen: set[int] = set()
                for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                    pool = skills_by_field.get(rng.choice(own_fields))
                    if pool:
                        chosen.add(rng.choice(pool))
                for skill_id in sorted(chosen):
                    link_rows.append((skill_link_id, profile_id, skill_id))
                    skill_link_id += 1
                for field_id in sorted(set(own_fields)):
                    interest_rows.append((interest_link_id, profile_id, field_id))
                    interest_link_id += 1
                consent_rows.append(
                    (consent_id, profile_id, ConsentPurpose.PROFILE_PROCESSING.value,
                     CONSENT_WORDING_VERSION, joined)
                )  # fmt: skip
                consent_id += 1
                if rng.random() < 0.6:
                    consent_rows.append(
                        (consent_id, profile_id, ConsentPurpose.DATA_SHARING_FOR_MATCHING.value,
                         CONSENT_WORDING_VERSION, joined)
                    )  # fmt: skip
                    consent_id += 1
                out.user_ids.append(user_id)
                out.genders.append(1 if female else 0)
                out.birth_ordinals.append(birth.toordinal())
                out.skills.append(frozenset(chosen))
                out.city_index.append(city_position[city.pk])
                out.party_sizes.append(party)
                out.guardian_consent.append(1 if minor else 0)
        result.timed("users", started, users.rows, log)
        started = time.monotonic()
        with bulk.TableWriter(EmailAddress, ["id", "email", "verified", "primary", "user_id"]) as t:
            t.write_many(email_rows)
        del email_rows
    result.timed("email addresses", started, t.rows, log)

    started = time.monotonic()
    with bulk.deferred_indexes([VolunteerProfile], log, enabled=defer):
        with bulk.TableWriter(VolunteerProfile, profile_columns) as t:
            t.write_many(profile_rows)
        del profile_rows
    result.timed("volunteer profiles", started, t.rows, log)
    for model, columns, rows, name in (
        (VolunteerProfile.skills.through, ["id", "volunteerprofile_id", "skill_id"], link_rows,
         "profile skills"),
        (VolunteerProfile.interests.through, ["id", "volunteerprofile_id", "volunteeringfield_id"],
         interest_rows, "profile interests"),
        (ConsentRecord, ["id", "profile_id", "purpose", "wording_version", "given_at"],
         consent_rows, "consent records"),
    ):  # fmt: skip
        started = time.monotonic()
        with (
            bulk.deferred_indexes([model], log, enabled=defer),
            bulk.TableWriter(model, columns) as t,
        ):
            t.write_many(rows)
        result.timed(name, started, t.rows, log)
    for model in (User, EmailAddress, VolunteerProfile, ConsentRecord):
        bulk.set_sequence(model)
    bulk.set_sequence(VolunteerProfile.skills.through)
    bulk.set_sequence(VolunteerProfile.interests.through)
    return out


# --- Opportunities and shifts --------------------------------------------------------------------


@dataclass
class _Opportunities:
    ids: list[int] = field(default_factory=list)
    open_for_applications: list[bool] = field(default_factory=list)  # not a draft, no quals
    city_index: list[int] = field(default_factory=list)  # -1: no city (remote)
    gender: bytearray = field(default_factory=bytearray)  # 0 everyone, 1 women, 2 men
    age_min: list[int] = field(default_factory=list)
    age_max: list[int] = field(default_factory=list)
    required_skills: list[frozenset] = field(default_factory=list)
    capacity: list[int] = field(default_factory=list)
    published: list[dt.datetime | None] = field(default_factory=list)
    starts: list[dt.datetime] = field(default_factory=list)  # start of the first day
    ends: list[dt.datetime] = field(default_factory=list)  # end of the last day
    manager: list[int | None] = field(default_factory=list)
    shifts: list[list[tuple[int, dt.datetime, dt.datetime, int]]] = field(default_factory=list)


def _opportunities(scale, seed, anchor, places, organizations, result, log, defer):
    from ataa.opportunities.models import Opportunity, Shift
    from ataa.opportunities.services import compute_search_text
    from ataa.organizations.models import Membership
    from ataa.volunteers.models import QualificationKind, Skill, VolunteeringField

    rng = random.Random(f"{seed}-opportunities")
    fields = {f.code: f for f in VolunteeringField.objects.all()}
    skill_ids = dict(Skill.objects.values_list("code", "pk"))
    skills_of_field: dict[int, list[int]] = {}
    for skill_id, field_id in Skill.objects.values_list("pk", "field_id"):
        skills_of_field.setdefault(field_id, []).append(skill_id)
    qualification_ids = list(QualificationKind.objects.values_list("pk", flat=True))
    admins: dict[int, int] = {}
    for organization_id, user_id in (
        Membership.objects.filter(role="admin")
        .order_by("-user_id")
        .values_list("organization_id", "user_id")
    ):
        admins[organization_id] = user_id  # the first admin (lowest id) wins
    activities = [
        (code, activity)
        for code, items in ACTIVITIES.items()
        if code in fields
        for activity in items
    ]
    # A few organizations post much more than others (weights 1/rank).
    order = organizations[:]
    rng.shuffle(order)
    org_list, org_weights = _weighted([(org, 1 / (rank + 1) ** 0.8) for rank, org in
                                       enumerate(order)])  # fmt: skip
    city_position = {city.pk: index for index, city in enumerate(places.cities)}
    statuses, status_weights = _weighted(
        [("published", 82), ("closed", 7), ("draft", 6), ("archived", 5)]
    )
    visibilities, visibility_weights = _weighted([("public", 92), ("unlisted", 5), ("members", 3)])
    first_id, first_shift = bulk.next_id(Opportunity), bulk.next_id(Shift)
    required_link = bulk.next_id(Opportunity.required_skills.through)
    preferred_link = bulk.next_id(Opportunity.preferred_skills.through)
    qualification_link = bulk.next_id(Opportunity.required_qualifications.through)
    zone = anchor.tzinfo
    out = _Opportunities()
    columns = ["id", "organization_id", "title_ar", "title_en", "description_ar", "description_en",
               "field_id", "work_mode", "city_id", "district_id", "latitude", "longitude",
               "exact_address", "age_min", "age_max", "gender_eligibility", "capacity",
               "starts_on", "ends_on", "visibility", "share_token", "status", "is_emergency",
               "suitable_for_disabilities", "search_text", "created_by_id", "created_at",
               "updated_at", "published_at"]  # fmt: skip
    required_rows, preferred_rows, qualification_rows, shift_rows = [], [], [], []
    started = time.monotonic()
    with (
        bulk.deferred_indexes([Opportunity], log, enabled=defer),
        bulk.TableWriter(Opportunity, columns) as table,
    ):
        for number in range(scale.opportunities):
            pk = first_id + number
            organization = rng.choices(org_list, cum_weights=org_weights)[0]
            field_code, (title_ar, title_en, skill_codes) = rng.choice(activities)
            the_field = fields[field_code]
            work_mode = rng.choices(("on_site", "remote", "hybrid"), (75, 12, 13))[0]
            city = None if work_mode == "remote" and rng.random() < 0.7 else places.city(rng)
            districts = places.districts.get(city.pk, []) if city else []
            district = rng.choice(districts) if districts and rng.random() < 0.6 else None
            ending_ar, ending_en = rng.choice(TITLE_ENDINGS)
            if "{district}" in ending_ar and district is None:
                ending_ar, ending_en = "", ""
            if "{city}" in ending_ar and city is None:
                ending_ar, ending_en = "", ""
            names = {"city": city.name_ar if city else "", "district":
                     district.name_ar if district else ""}  # fmt: skip
            names_en = {"city": city.name_en if city else "", "district":
                        district.name_en if district else ""}  # fmt: skip
            title_ar = title_ar + ending_ar.format(**names)
            title_en = title_en + ending_en.format(**names_en)
            picked = rng.sample(SENTENCES, rng.randint(2, 4))
            where_ar = f" المكان: {names['district'] or names['city']}." if city else ""
            where_en = f" Place: {names_en['district'] or names_en['city']}." if city else ""
            description_ar = f"{title_ar} مع {organization.name_ar}. " + " ".join(
                ar for ar, _en in picked) + where_ar  # fmt: skip
            description_en = f"{title_en} with {organization.name_en}. " + " ".join(
                en for _ar, en in picked) + where_en  # fmt: skip
            status = rng.choices(statuses, cum_weights=status_weights)[0]
            if status == "published":
                starts_on = anchor.date() + dt.timedelta(days=rng.randint(-30, 150))
            elif status == "draft":
                starts_on = anchor.date() + dt.timedelta(days=rng.randint(10, 200))
            else:
                starts_on = anchor.date() - dt.timedelta(days=rng.randint(20, 700))
            ends_on = starts_on + dt.timedelta(days=rng.choice((0, 0, 1, 6, 13, 29, 59, 89)))
            created_at = min(
                anchor - dt.timedelta(minutes=rng.randint(60, 600)),
                dt.datetime.combine(starts_on, dt.time(9), tzinfo=zone)
                - dt.timedelta(days=rng.randint(5, 60), minutes=rng.randint(0, 1440)),
            )
            published_at = (
                None if status == "draft"
                else min(created_at + dt.timedelta(hours=rng.randint(1, 96)),
                         anchor - dt.timedelta(minutes=rng.randint(1, 59)))
            )  # fmt: skip
            gender = rng.choices(("everyone", "women", "men"), (76, 13, 11))[0]
            roll = rng.random()
            age_min, age_max = (18, None) if roll < 0.3 else (16, None) if roll < 0.35 else (
                None, None)  # fmt: skip
            if rng.random() < 0.04:
                age_max = 60
            capacity = rng.choice((5, 10, 10, 15, 20, 25, 30, 40, 50, 80, 100))
            required = frozenset(
                skill_ids[code] for code in skill_codes[:1] if code in skill_ids
            ) if rng.random() < 0.25 else frozenset()  # fmt: skip
            preferred = set()
            if rng.random() < 0.4:
                pool = skills_of_field.get(the_field.pk, [])
                preferred = set(rng.sample(pool, min(len(pool), rng.randint(1, 2)))) - required
            needs_qualification = bool(qualification_ids) and rng.random() < 0.02
            point = city is not None and work_mode != "remote" and rng.random() < 0.5
            instance = Opportunity(
                organization=organization, title_ar=title_ar, title_en=title_en,
                description_ar=description_ar, description_en=description_en,
                field=the_field, city=city, district=district,
            )  # fmt: skip
            token = rng.getrandbits(256).to_bytes(32, "big")
            share_token = base64.urlsafe_b64encode(token).rstrip(b"=").decode()
            created_by = admins.get(organization.pk)
            table.write(
                (pk, organization.pk, title_ar, title_en, description_ar, description_en,
                 the_field.pk, work_mode, city.pk if city else None,
                 district.pk if district else None,
                 f"{float(city.latitude) + rng.uniform(-0.03, 0.03):.6f}" if point else None,
                 f"{float(city.longitude) + rng.uniform(-0.03, 0.03):.6f}" if point else None,
                 "", age_min, age_max, gender, capacity, starts_on, ends_on,
                 rng.choices(visibilities, cum_weights=visibility_weights)[0], share_token,
                 status, rng.random() < 0.03, rng.random() < 0.3,
                 compute_search_text(instance), created_by, created_at,
                 published_at or created_at, published_at)
            )  # fmt: skip
            for skill_id in sorted(required):
                required_rows.append((required_link, pk, skill_id))
                required_link += 1
            for skill_id in sorted(preferred):
                preferred_rows.append((preferred_link, pk, skill_id))
                preferred_link += 1
            if needs_qualification:
                qualification_rows.append((qualification_link, pk, rng.choice(qualification_ids)))
                qualification_link += 1
            start = dt.datetime.combine(starts_on, dt.time(), tzinfo=zone)
            end = dt.datetime.combine(ends_on, dt.time(23, 59), tzinfo=zone)
            shifts = []
            if work_mode != "remote" and rng.random() < scale.shift_share:
                weekdays = rng.sample(range(7), rng.randint(1, 2))
                hour = rng.choice((8, 9, 16, 17, 19))
                shift_capacity = rng.choice((3, 5, 8, 10, 15, 20))
                day = starts_on
                while day <= ends_on and len(shifts) < 10:
                    if day.weekday() in weekdays:
                        begins = dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
                        shift = (first_shift, begins, begins + dt.timedelta(hours=3),
                                 shift_capacity)  # fmt: skip
                        first_shift += 1
                        shifts.append(shift)
                        shift_rows.append((*shift, pk, created_at))
                    day += dt.timedelta(days=1)
            out.ids.append(pk)
            out.open_for_applications.append(status != "draft" and not needs_qualification)
            out.city_index.append(city_position[city.pk] if city else -1)
            out.gender.append({"everyone": 0, "women": 1, "men": 2}[gender])
            out.age_min.append(age_min or 0)
            out.age_max.append(age_max or 200)
            out.required_skills.append(required)
            out.capacity.append(capacity)
            out.published.append(published_at)
            out.starts.append(start)
            out.ends.append(end)
            out.manager.append(created_by)
            out.shifts.append(shifts)
    result.timed("opportunities", started, table.rows, log)
    for model, rows, name in (
        (Opportunity.required_skills.through, required_rows, "required skills"),
        (Opportunity.preferred_skills.through, preferred_rows, "preferred skills"),
        (Opportunity.required_qualifications.through, qualification_rows,
         "required qualifications"),
    ):  # fmt: skip
        started = time.monotonic()
        last = model._meta.get_field("opportunity").column
        other = next(f.column for f in model._meta.concrete_fields if f.column not in ("id", last))
        with bulk.TableWriter(model, ["id", last, other]) as t:
            t.write_many(rows)
        result.timed(name, started, t.rows, log)
        bulk.set_sequence(model)
    started = time.monotonic()
    with (
        bulk.deferred_indexes([Shift], log, enabled=defer),
        bulk.TableWriter(
            Shift, ["id", "starts_at", "ends_at", "capacity", "opportunity_id", "created_at"]
        ) as t,
    ):
        t.write_many(shift_rows)
    result.timed("shifts", started, t.rows, log)
    bulk.set_sequence(Opportunity)
    bulk.set_sequence(Shift)
    return out


# --- Applications --------------------------------------------------------------------------------


def _application_counts(rng: random.Random, volunteers: int, total: int) -> list[int]:
    """Applications per volunteer: a quarter none, the rest a long tail; summing to `total`."""
    raw = [0 if rng.random() < 0.25 else 1 + int(rng.expovariate(0.2)) for _ in range(volunteers)]
    raw = [min(count, 60) for count in raw]
    current = sum(raw) or 1
    counts = [count * total // current for count in raw]
    appliers = [index for index, count in enumerate(raw) if count] or list(range(volunteers))
    for turn in range(total - sum(counts)):  # the rounding remainder, one each
        counts[appliers[turn * 7_919 % len(appliers)]] += 1
    return counts


def _applications(scale, seed, anchor, vols: _Volunteers, opps: _Opportunities, result, log,
                  defer) -> None:  # fmt: skip
    from ataa.opportunities.models import Application
    from ataa.volunteers.models import ADULT_AGE, age_on

    rng = random.Random(f"{seed}-applications")
    random_ = rng.random
    now = anchor
    open_positions = [i for i, ok in enumerate(opps.open_for_applications) if ok]
    # Who applies where: mostly in one's own city (or remote); popular ones more often
    # (positions are drawn with a skew towards the start of each shuffled pool).
    by_city: dict[int, list[int]] = {}
    remote: list[int] = []
    for position in open_positions:
        city = opps.city_index[position]
        (remote if city < 0 else by_city.setdefault(city, [])).append(position)
    for pool in (*by_city.values(), remote, open_positions):
        rng.shuffle(pool)
    future_statuses, future_weights = _weighted(FUTURE_STATUSES)
    past_statuses, past_weights = _weighted(PAST_STATUSES)
    cancel_reasons = [
        choice.value
        for choice in getattr(Application, "CancelReason", None) or ()
        if choice.value != "other"
    ]
    has_reason = bool(cancel_reasons) and any(
        f.column == "cancel_reason" for f in Application._meta.concrete_fields
    )
    accepted_places: dict[tuple[int, int], int] = {}  # (0, shift id) | (1, opportunity position)
    n_volunteers = len(vols.user_ids)
    counts = _application_counts(rng, n_volunteers, scale.applications)
    chosen_of: list[tuple[int, ...]] = [()] * n_volunteers
    state = {"next_pk": bulk.next_id(Application), "written": 0, "redrawn": 0}
    columns = ["id", "opportunity_id", "shift_id", "volunteer_id", "status", "answers",
               "party_size", "created_at", "decided_at", "decided_by_id"]  # fmt: skip
    if has_reason:
        columns.append("cancel_reason")

    def pick(volunteer: int, taken: tuple[int, ...]):
        """An opportunity the volunteer fits and has not applied to, and the shift (None: no
        shifts), as (position, shift); None if the draws found none. The hard rules are judged
        on the shift's day, else the opportunity's first day, as the service judges them."""
        city = vols.city_index[volunteer]
        birth = dt.date.fromordinal(vols.birth_ordinals[volunteer])
        female = vols.genders[volunteer]
        skills = vols.skills[volunteer]
        guardian = vols.guardian_consent[volunteer]
        for _attempt in range(12):
            roll = random_()
            pool = (
                by_city.get(city) if roll < 0.7 else remote if roll < 0.8 else open_positions
            ) or open_positions
            position = pool[int(len(pool) * random_() ** 2)]
            gender = opps.gender[position]
            if gender and (gender == 1) != bool(female):
                continue
            needed = opps.required_skills[position]
            if (needed and not needed <= skills) or position in taken:
                continue
            shifts = opps.shifts[position]
            shift = shifts[int(random_() * len(shifts))] if shifts else None
            day = (shift[1] if shift else opps.starts[position]).date()
            age = age_on(birth, day)
            if age < opps.age_min[position] or age > opps.age_max[position]:
                continue
            if age < ADULT_AGE and not guardian:  # a minor then, without a guardian's consent
                continue
            return position, shift
        return None

    def write_one(table, volunteer: int, position: int, shift) -> None:
        user_id = vols.user_ids[volunteer]
        party = vols.party_sizes[volunteer]
        if shift:
            shift_id, begins, ends, capacity = shift
            holder = (0, shift_id)
        else:
            shift_id, begins, ends = None, opps.starts[position], opps.ends[position]
            capacity = opps.capacity[position]
            holder = (1, position)
        opened = opps.published[position]
        span = max(60, int((min(begins, now) - opened).total_seconds()))
        created = opened + dt.timedelta(seconds=int(span * random_()))
        if ends < now:
            status = rng.choices(past_statuses, cum_weights=past_weights)[0]
        else:
            status = rng.choices(future_statuses, cum_weights=future_weights)[0]
        if status in ("accepted", "no_show"):
            taken = accepted_places.get(holder, 0)
            if taken + party > capacity:
                status = "rejected" if ends < now else "waitlisted"
            elif status == "accepted":
                accepted_places[holder] = taken + party
        decided_at = decided_by = None
        if status != "pending":
            decided_at = min(created + dt.timedelta(minutes=int(30 + random_() * 4000)), now)
            decided_by = user_id if status == "withdrawn" else opps.manager[position]
        row = (state["next_pk"], opps.ids[position], shift_id, user_id, status, "{}", party,
               created, decided_at, decided_by)  # fmt: skip
        if has_reason:
            row += (rng.choice(cancel_reasons) if status == "cancelled" else "",)
        table.write(row)
        state["next_pk"] += 1
        state["written"] += 1

    started = time.monotonic()
    total = scale.applications if open_positions else 0
    with (
        bulk.deferred_indexes([Application], log, enabled=defer),
        bulk.TableWriter(Application, columns) as table,
    ):
        for volunteer in range(n_volunteers):
            taken: tuple[int, ...] = ()
            for _ in range(counts[volunteer]):
                drawn = pick(volunteer, taken)
                if drawn is None:
                    state["redrawn"] += 1
                    continue
                taken += (drawn[0],)
                write_one(table, volunteer, *drawn)
            chosen_of[volunteer] = taken
        # Draws that found nothing the volunteer fits are made up by other volunteers, one
        # each in turn, never twice to the same opportunity.
        step, volunteer, misses = 7_919, 0, 0
        while state["written"] < total and misses < 100 * n_volunteers:
            volunteer = (volunteer + step) % n_volunteers
            drawn = pick(volunteer, chosen_of[volunteer])
            if drawn is None:
                misses += 1
                continue
            chosen_of[volunteer] += (drawn[0],)
            write_one(table, volunteer, *drawn)
    result.timed("applications", started, table.rows, log)
    if state["redrawn"]:
        log(f"  ({state['redrawn']:,} applications went to other volunteers: no fitting draw)")
    bulk.set_sequence(Application)


def _analyze(result: Result, log: Log) -> None:
    started = time.monotonic()
    if bulk.is_postgres():
        from ataa.accounts.models import User
        from ataa.opportunities.models import Application, Opportunity, Shift
        from ataa.volunteers.models import ConsentRecord, VolunteerProfile

        tables = [m._meta.db_table for m in (User, VolunteerProfile, ConsentRecord, Opportunity,
                                             Shift, Application)]  # fmt: skip
        tables += [
            VolunteerProfile.skills.through._meta.db_table,
            VolunteerProfile.interests.through._meta.db_table,
            "account_emailaddress",
        ]
        if connection.in_atomic_block:  # inside a test's transaction: VACUUM cannot run
            tables = []
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map and hint bits, as autovacuum would have by now on a
            # live database; ANALYZE gives the planner the real distributions.
            for table in tables:
                cursor.execute(f'VACUUM (ANALYZE) "{table}"')
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result.seconds["vacuum analyze"] = round(time.monotonic() - started, 1)
    log(f"  VACUUM ANALYZE in {time.monotonic() - started:.1f} s")
