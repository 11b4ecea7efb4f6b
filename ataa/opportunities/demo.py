"""Demo opportunities: 300 published ones, fifteen for each of the twenty active demo
organizations in their cities, some emergencies, some remote, a third with weekly shifts; and
applications: the demo volunteer's (one accepted on an upcoming shift, one pending, one
waitlisted) and synthetic volunteers' on forty opportunities (the Jeddah charity's first), so
rosters are not empty.

Made through the services (create, publish, weekly shifts), so search texts and the audit log
are real. Found again by (organization, English title): a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ataa.accounts.demo import VOLUNTEER_EMAIL
from ataa.accounts.models import User
from ataa.core.demo import demo_email, demo_seeder
from ataa.core.models import City, District
from ataa.opportunities import services
from ataa.opportunities.applications import eligibility_problems
from ataa.opportunities.models import Application, Opportunity, Shift
from ataa.organizations.demo import JEDDAH_CHARITY, ORGANIZATIONS
from ataa.organizations.models import Membership, Organization, Role
from ataa.volunteers.demo import EXTRA_VOLUNTEERS
from ataa.volunteers.models import Skill, VolunteeringField, VolunteerProfile

# (Arabic title, English title, field code, work mode, skill codes, emergency)
TEMPLATES = [
    (
        "توزيع السلال الغذائية في رمضان",
        "Ramadan food basket distribution",
        "relief",
        "on_site",
        ["food-distribution"],
        False,
    ),
    (
        "إفطار صائم عند الإشارات",
        "Iftar meals at traffic lights",
        "relief",
        "on_site",
        ["food-distribution"],
        False,
    ),
    (
        "فرز التبرعات في المستودع",
        "Sorting donations at the warehouse",
        "relief",
        "on_site",
        ["warehouse"],
        False,
    ),
    (
        "استجابة طارئة للسيول",
        "Flood emergency response",
        "relief",
        "on_site",
        ["search-rescue", "first-aid"],
        True,
    ),
    ("دعم مراكز الإيواء", "Shelter support", "relief", "on_site", ["shelter-support"], True),
    ("حملة التبرع بالدم", "Blood donation drive", "health", "on_site", ["blood-drives"], False),
    (
        "زيارة كبار السن في دار الرعاية",
        "Visiting elders at the care home",
        "health",
        "on_site",
        ["elderly-care"],
        False,
    ),
    (
        "التوعية الصحية في المدارس",
        "Health awareness in schools",
        "health",
        "hybrid",
        ["health-awareness"],
        False,
    ),
    (
        "دروس تقوية للطلاب عن بعد",
        "Remote tutoring for students",
        "education",
        "remote",
        ["tutoring"],
        False,
    ),
    (
        "حلقات تحفيظ القرآن الكريم",
        "Quran memorisation circles",
        "education",
        "on_site",
        ["quran-teaching"],
        False,
    ),
    ("محو الأمية للكبار", "Adult literacy classes", "education", "hybrid", ["literacy"], False),
    ("ترجمة محتوى التوعية", "Translating awareness material", "translation", "remote", [], False),
    (
        "تنظيم فعالية اليوم الوطني",
        "National Day event crew",
        "events",
        "on_site",
        ["crowd-management"],
        False,
    ),
    ("تنظيف الشاطئ", "Beach clean-up", "environment", "on_site", [], False),
    (
        "دعم الأسر المتعففة هاتفياً",
        "Phone support for families in need",
        "social-support",
        "remote",
        [],
        False,
    ),
]

# Fifteen more, so that the twenty demo organizations do not all post the same things.
TEMPLATES += [
    ("تغليف كسوة العيد للأطفال", "Packing Eid clothes for children", "relief", "on_site",
     ["warehouse"], False),
    ("سائقون لإيصال الوجبات لكبار السن", "Drivers delivering meals to the elderly", "relief",
     "on_site", ["driving"], False),
    ("التبرع بالدم في المستشفى الجامعي", "Blood donation at the university hospital", "health",
     "on_site", ["blood-drives"], False),
    ("الدعم النفسي للأسر المتضررة", "Psychological support for affected families", "health",
     "hybrid", ["psychological-first-aid"], True),
    ("الإرشاد المهني للشباب", "Career mentoring for young people", "education", "remote",
     ["mentoring"], False),
    ("تدريب الأسر المنتجة على التسويق", "Marketing training for home businesses", "education",
     "hybrid", ["training-delivery"], False),
    ("تطوير موقع الجمعية", "Building the charity's website", "technology", "remote",
     ["software-development"], False),
    ("إدخال بيانات المستفيدين", "Entering beneficiary records", "technology", "on_site",
     ["data-entry"], False),
    ("تصميم منشورات الحملة", "Designing campaign posters", "technology", "remote",
     ["graphic-design"], False),
    ("الترجمة بلغة الإشارة في الفعاليات", "Sign language interpreting at events", "translation",
     "on_site", ["sign-language"], False),
    ("استقبال الزوار في المعرض الخيري", "Welcoming visitors at the charity fair", "events",
     "on_site", ["guest-reception"], False),
    ("خدمة ضيوف الرحمن في موسم العمرة", "Serving Umrah pilgrims", "events", "on_site",
     ["hajj-umrah-service"], False),
    ("زراعة الأشجار في الحدائق العامة", "Planting trees in public parks", "environment",
     "on_site", ["tree-planting"], False),
    ("زيارات منزلية للأيتام", "Home visits to orphans", "social-support", "on_site",
     ["home-visits", "orphan-support"], False),
    ("مرافقة الأشخاص ذوي الإعاقة في التسوق", "Shopping companions for people with disabilities",
     "social-support", "on_site", ["disability-support"], False),
]  # fmt: skip

CITY_OF = {org.registration_number: org.city for org in ORGANIZATIONS if org.approved}
PER_ORGANIZATION = 15  # 20 organizations: 300 opportunities
JOIN_AR = "انضم إلينا وكن جزءاً من الخير."


def _manager(organization: Organization):
    membership = (
        Membership.objects.filter(organization=organization, role=Role.ADMIN)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    return membership.user if membership else None


@demo_seeder(order=40)
def seed_opportunities() -> int:
    registration_numbers = [org.registration_number for org in ORGANIZATIONS if org.approved]
    organizations = Organization.objects.filter(
        registration_number__in=registration_numbers, status=Organization.Status.ACTIVE
    )
    fields = {field.code: field for field in VolunteeringField.objects.all()}
    skills = {skill.code: skill for skill in Skill.objects.all()}
    cities = {city.code: city for city in City.objects.all()}
    districts: dict[int, list[District]] = {}
    for district in District.objects.all():
        districts.setdefault(district.city_id, []).append(district)
    today = timezone.localdate()
    created = 0
    for org_index, organization in enumerate(organizations.order_by("registration_number")):
        manager = _manager(organization)
        if manager is None:
            continue
        existing = set(
            Opportunity.objects.filter(organization=organization).values_list("title_en", flat=True)
        )
        city = cities.get(CITY_OF.get(organization.registration_number, ""))
        for index in range(PER_ORGANIZATION):
            title_ar, title_en, field, mode, skill_codes, emergency = TEMPLATES[
                (org_index * 7 + index) % len(TEMPLATES)
            ]
            if title_en in existing:
                continue
            place = None if mode == "remote" else city
            place_districts = districts.get(place.pk, []) if place else []
            starts_on = today + dt.timedelta(days=(index * 4 + org_index) % 40 - 5)
            opportunity = services.opportunity_create(
                organization=organization,
                created_by=manager,
                title_ar=title_ar,
                title_en=title_en,
                description_ar=f"{title_ar} مع {organization.name_ar}. {JOIN_AR}",
                description_en=f"{title_en} with {organization.name_en}. Join us and do good.",
                field=fields.get(field),
                work_mode=mode,
                city=place,
                district=place_districts[index % len(place_districts)] if place_districts else None,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
                exact_address="",
                required_skills=[skills[code] for code in skill_codes if code in skills],
                capacity=5 + (index * 7) % 40,
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=14 + index % 3 * 14),
                gender_eligibility=["everyone", "everyone", "women", "men"][index % 4],
                is_emergency=emergency,
                suitable_for_disabilities=index % 3 == 0,
                age_min=18 if index % 2 else None,
            )
            opportunity = services.opportunity_publish(opportunity=opportunity, actor=manager)
            if index % 3 == 0 and mode != "remote":
                services.shifts_generate_weekly(
                    opportunity=opportunity,
                    created_by=manager,
                    weekdays=[5, 1],
                    start_time=dt.time(16),
                    end_time=dt.time(20),
                    from_date=opportunity.starts_on,
                    until_date=opportunity.ends_on,
                    capacity=5,
                )
            created += 1
    return created


# --- Applications ---------------------------------------------------------------------------

ROSTER_OPPORTUNITIES = 40
ROSTER_APPLICANTS = 12


def _eligible(profile: VolunteerProfile, opportunities) -> list[Opportunity]:
    return [
        opportunity
        for opportunity in opportunities
        if not eligibility_problems(profile=profile, opportunity=opportunity)
    ]


@demo_seeder(order=50)
def seed_applications() -> int:
    return _seed_demo_volunteer_applications() + _seed_rosters()


def _open_opportunities():
    """Published opportunities of the demo's active organizations that have not ended, the
    Jeddah charity's first."""
    today = timezone.localdate()
    opportunities = (
        Opportunity.objects.filter(
            status=Opportunity.Status.PUBLISHED,
            organization__status=Organization.Status.ACTIVE,
            organization__registration_number__in=list(CITY_OF),
            ends_on__gte=today + dt.timedelta(days=3),
        )
        .select_related("organization")
        .prefetch_related("required_skills", "required_qualifications")
    )
    return sorted(
        opportunities,
        key=lambda o: (o.organization.registration_number != JEDDAH_CHARITY, o.pk),
    )


def _seed_demo_volunteer_applications() -> int:
    """Three applications of the demo volunteer: accepted on an upcoming shift, pending, and
    waitlisted. The first opportunity gets an upcoming shift if it has none (demo opportunities
    the volunteer fits are remote ones without shifts)."""
    user = User.objects.filter(email=VOLUNTEER_EMAIL).first()
    profile = VolunteerProfile.objects.filter(user=user).first() if user else None
    if profile is None or Application.objects.filter(volunteer=user).exists():
        return 0
    chosen = _eligible(profile, _open_opportunities())[:3]
    if not chosen:
        return 0
    created = 0
    for index, opportunity in enumerate(chosen):
        manager = _manager(opportunity.organization)
        shift = None
        if index == 0:
            day = max(timezone.localdate() + dt.timedelta(days=3), opportunity.starts_on)
            zone = timezone.get_default_timezone()
            shift = services.shift_create(
                opportunity=opportunity,
                created_by=manager,
                starts_at=dt.datetime.combine(day, dt.time(17), tzinfo=zone),
                ends_at=dt.datetime.combine(day, dt.time(19), tzinfo=zone),
                capacity=4,
            )
        elif Shift.objects.filter(opportunity=opportunity).exists():
            continue
        application = services.application_submit(
            volunteer=user, opportunity=opportunity, shift=shift, answers={}
        )
        created += 1
        if index == 0:
            services.application_accept(application=application, decided_by=manager)
        elif index == 2:
            services.application_waitlist(application=application, decided_by=manager)
    return created


def _seed_rosters() -> int:
    """Synthetic volunteers apply to a few opportunities (to their next shift, if they have
    shifts); half of each group is accepted, the rest waits."""
    emails = [demo_email(f"volunteer-{number:03d}") for number in range(1, EXTRA_VOLUNTEERS + 1)]
    profiles = list(
        VolunteerProfile.objects.filter(user__email__in=emails)
        .select_related("user")
        .prefetch_related("skills")
        .order_by("user__email")
    )
    if not profiles:
        return 0
    created = filled = 0
    for opportunity in _open_opportunities():
        if filled == ROSTER_OPPORTUNITIES:
            break
        if (
            Application.objects.filter(opportunity=opportunity)
            .exclude(volunteer__email=VOLUNTEER_EMAIL)
            .exists()
        ):
            filled += 1
            continue
        shift = (
            Shift.objects.filter(opportunity=opportunity, starts_at__gt=timezone.now())
            .order_by("starts_at")
            .first()
        )
        if shift is None and Shift.objects.filter(opportunity=opportunity).exists():
            continue
        start = (filled * 97) % len(profiles)  # a different crowd for each roster
        applicants = []
        for profile in profiles[start:] + profiles[:start]:
            if not eligibility_problems(profile=profile, opportunity=opportunity, shift=shift):
                applicants.append(profile)
                if len(applicants) == ROSTER_APPLICANTS:
                    break
        if not applicants:
            continue
        applications = [
            services.application_submit(
                volunteer=profile.user, opportunity=opportunity, shift=shift, answers={}
            )
            for profile in applicants
        ]
        created += len(applications)
        filled += 1
        services.applications_bulk_accept(
            applications=applications[: max(1, len(applications) // 2)],
            decided_by=_manager(opportunity.organization),
        )
    return created
