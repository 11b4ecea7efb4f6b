"""Demo opportunities: about sixty published ones across the five active demo organizations and
their cities, some emergencies, some remote, a third with weekly shifts.

Made through the services (create, publish, weekly shifts), so search texts and the audit log
are real. Found again by (organization, English title): a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ataa.core.demo import demo_seeder
from ataa.core.models import City, District
from ataa.opportunities import services
from ataa.opportunities.models import Opportunity
from ataa.organizations.demo import JEDDAH_CHARITY, ORGANIZATIONS, RIYADH_CENTRE
from ataa.organizations.models import Membership, Organization, Role
from ataa.volunteers.models import Skill, VolunteeringField

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

CITY_OF = {
    JEDDAH_CHARITY: "jeddah",
    RIYADH_CENTRE: "riyadh",
    "DED-784512": "dubai",
    "RACA-2019-047": "doha",
    "MSD-1432": "manama",
}
PER_ORGANIZATION = 12
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
                (org_index * 5 + index) % len(TEMPLATES)
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
