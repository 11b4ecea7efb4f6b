"""Demo organizations and their staff, made through the real services.

Twenty active organizations: five hand-written ones (Jeddah, Riyadh, Dubai, Doha, Manama) and
fifteen more across the Gulf, each with an admin and a coordinator; and one awaiting
the platform admin's approval. The Jeddah charity has a member in every organization role; its
coordinator also belongs to the Riyadh centre, so the organization switcher shows.

Organizations are registered with `organization_register` and approved with
`organization_decide`, members join through `invitation_create` + `invitation_accept`: the audit
log reads like real use. The emails those services queue go to `@demo.ataa.test` addresses
(reserved, undeliverable) and, outside production, to files in var/mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ataa.accounts.demo import PLATFORM_ADMIN_EMAIL, demo_user
from ataa.accounts.models import User
from ataa.core.demo import demo_email, demo_login, demo_seeder
from ataa.core.models import City
from ataa.organizations import services
from ataa.organizations.models import Invitation, Membership, Organization, Role

ORG_ADMIN_EMAIL = demo_email("org-admin")
COORDINATOR_EMAIL = demo_email("coordinator")
CASE_WORKER_EMAIL = demo_email("case-worker")
AUDITOR_EMAIL = demo_email("auditor")
APPLICANT_EMAIL = demo_email("applicant")

# Natural keys of the demo organizations: their registration numbers.
JEDDAH_CHARITY = "NCNP-1187"
RIYADH_CENTRE = "MHRSD-RYD-0142"
PENDING_CHARITY = "NCNP-5309"

demo_login(
    order=20,
    role=Role.ADMIN.label,
    email=ORG_ADMIN_EMAIL,
    note=_("Admin of the Jeddah charity."),
)
demo_login(
    order=30,
    role=Role.COORDINATOR.label,
    email=COORDINATOR_EMAIL,
    note=_("Also a coordinator in Riyadh: the organization switcher shows."),
)
demo_login(order=40, role=Role.CASE_WORKER.label, email=CASE_WORKER_EMAIL)
demo_login(order=50, role=Role.AUDITOR.label, email=AUDITOR_EMAIL, note=_("Read-only."))
demo_login(
    order=80,
    role=_("Applicant"),
    email=APPLICANT_EMAIL,
    note=_("Registered an organization that awaits approval."),
)


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    preferred_language: str = "ar"


@dataclass(frozen=True)
class DemoOrganization:
    registration_number: str
    name_ar: str
    name_en: str
    kind: str
    city: str  # a core.City code
    admin: DemoPerson
    approved: bool = True
    members: list[tuple[DemoPerson, str]] = field(default_factory=list)


COORDINATOR = DemoPerson(COORDINATOR_EMAIL, "خالد عمر الزهراني")

ORGANIZATIONS = [
    DemoOrganization(
        registration_number=JEDDAH_CHARITY,
        name_ar="جمعية الإحسان الخيرية بجدة",
        name_en="Al-Ihsan Charitable Society, Jeddah",
        kind=Organization.Kind.CHARITY,
        city="jeddah",
        admin=DemoPerson(ORG_ADMIN_EMAIL, "هيفاء سعد الحربي"),
        members=[
            (COORDINATOR, Role.COORDINATOR),
            (DemoPerson(CASE_WORKER_EMAIL, "نورة فهد القحطاني"), Role.CASE_WORKER),
            (DemoPerson(AUDITOR_EMAIL, "فهد ناصر الشمري"), Role.AUDITOR),
        ],
    ),
    DemoOrganization(
        registration_number=RIYADH_CENTRE,
        name_ar="مركز التنمية الاجتماعية بالرياض",
        name_en="Social Development Centre, Riyadh",
        kind=Organization.Kind.GOVERNMENT,
        city="riyadh",
        admin=DemoPerson(demo_email("admin-riyadh"), "تركي سليمان العنزي"),
        members=[(COORDINATOR, Role.COORDINATOR)],
    ),
    DemoOrganization(
        registration_number="DED-784512",
        name_ar="فريق المسؤولية المجتمعية في مجموعة الواحة",
        name_en="Al Waha Group CSR Team, Dubai",
        kind=Organization.Kind.COMPANY,
        city="dubai",
        admin=DemoPerson(demo_email("admin-dubai"), "مريم راشد المهيري", "en"),
    ),
    DemoOrganization(
        registration_number="RACA-2019-047",
        name_ar="جمعية النور الخيرية بالدوحة",
        name_en="Al Noor Charitable Association, Doha",
        kind=Organization.Kind.CHARITY,
        city="doha",
        admin=DemoPerson(demo_email("admin-doha"), "جاسم حمد الكواري"),
    ),
    DemoOrganization(
        registration_number="MSD-1432",
        name_ar="فريق سواعد الخير التطوعي",
        name_en="Sawaed Al Khair Volunteer Team, Manama",
        kind=Organization.Kind.VOLUNTEER_TEAM,
        city="manama",
        admin=DemoPerson(demo_email("admin-manama"), "عيسى يوسف البنعلي"),
    ),
    DemoOrganization(
        registration_number=PENDING_CHARITY,
        name_ar="جمعية وئام لرعاية الأيتام بمكة المكرمة",
        name_en="Wiam Orphan Care Society, Makkah",
        kind=Organization.Kind.CHARITY,
        city="makkah",
        admin=DemoPerson(APPLICANT_EMAIL, "أسماء حسن باوزير"),
        approved=False,
    ),
]


# Fifteen more active organizations across the Gulf, each with an admin and a
# coordinator, so the national search has the variety of a real platform (about 20 in all).
# (registration number, Arabic name, English name, kind, city, admin name, coordinator name)
MORE = [
    ("NCNP-2231", "جمعية البر الخيرية بالدمام", "Al-Birr Charitable Society, Dammam",
     Organization.Kind.CHARITY, "dammam", "عبدالعزيز حمد الدوسري", "منيرة صالح الخالدي"),
    ("NCNP-3310", "جمعية رعاية الأيتام بالمدينة المنورة", "Orphan Care Society, Madinah",
     Organization.Kind.CHARITY, "madinah", "أنس محمد الجهني", "رهف علي الحربي"),
    ("NCNP-1904", "بنك الطعام بمكة المكرمة", "Makkah Food Bank",
     Organization.Kind.CHARITY, "makkah", "سامي عبدالله باحارث", "ليان حسن الغامدي"),
    ("NCNP-2788", "جمعية أصدقاء المرضى بالخبر", "Friends of Patients Society, Al Khobar",
     Organization.Kind.CHARITY, "khobar", "هدى منصور الشهري", "بدر سعيد القحطاني"),
    ("NCNP-4102", "جمعية الأحساء للتنمية الأسرية", "Al-Ahsa Family Development Society",
     Organization.Kind.CHARITY, "ahsa", "حسين علي الصالح", "زينب أحمد المطوع"),
    ("VT-TAIF-077", "فريق عطاء الطائف التطوعي", "Ataa Taif Volunteer Team",
     Organization.Kind.VOLUNTEER_TEAM, "taif", "ماجد عوض الثبيتي", "شهد فهد الطلحي"),
    ("NCNP-3567", "جمعية أبها لرعاية كبار السن", "Abha Elderly Care Society",
     Organization.Kind.CHARITY, "abha", "ظافر سعد العسيري", "أمل يحيى الألمعي"),
    ("MHRSD-QSM-0318", "مركز القصيم للعمل التطوعي", "Qassim Volunteering Centre, Buraydah",
     Organization.Kind.GOVERNMENT, "buraydah", "صالح إبراهيم الحربي", "نوف عبدالرحمن السالم"),
    ("NCNP-4920", "جمعية حائل لذوي الإعاقة", "Hail Society for People with Disabilities",
     Organization.Kind.CHARITY, "hail", "مشعل فرحان الشمري", "غدير نايف الرشيدي"),
    ("NCNP-5011", "جمعية جازان للإغاثة", "Jazan Relief Society",
     Organization.Kind.CHARITY, "jazan", "علي حسن مدخلي", "فاطمة محمد عريشي"),
    ("IACAD-AD-221", "جمعية أبوظبي للعمل الإنساني", "Abu Dhabi Humanitarian Work Society",
     Organization.Kind.CHARITY, "abu-dhabi", "سيف خلفان المنصوري", "شمة راشد الظاهري"),
    ("VT-SHJ-140", "فريق الشارقة للبيئة", "Sharjah Environment Team",
     Organization.Kind.VOLUNTEER_TEAM, "sharjah", "خالد عبيد النقبي", "ميثاء سالم الشامسي"),
    ("MOSA-KW-0907", "جمعية الكويت للإغاثة", "Kuwait Relief Society",
     Organization.Kind.CHARITY, "kuwait-city", "بدر فيصل العازمي", "دانة ناصر الرشيد"),
    ("MSD-OM-3381", "جمعية مسقط للتعليم", "Muscat Education Society",
     Organization.Kind.CHARITY, "muscat", "سالم حمود البلوشي", "رقية سعيد الحارثي"),
    ("CR-1010-5522", "فريق المسؤولية الاجتماعية في شركة نماء", "Namaa Company CSR Team, Riyadh",
     Organization.Kind.COMPANY, "riyadh", "وليد عبدالله السبيعي", "جود سلطان العتيبي"),
]  # fmt: skip

ORGANIZATIONS += [
    DemoOrganization(
        registration_number=number,
        name_ar=name_ar,
        name_en=name_en,
        kind=kind,
        city=city,
        admin=DemoPerson(demo_email(f"admin-{number.lower()}"), admin),
        members=[(DemoPerson(demo_email(f"coordinator-{number.lower()}"), coordinator),
                  Role.COORDINATOR)],
    )
    for number, name_ar, name_en, kind, city, admin, coordinator in MORE
]  # fmt: skip


def _person(person: DemoPerson) -> tuple[User, bool]:
    return demo_user(
        email=person.email,
        full_name=person.full_name,
        preferred_language=person.preferred_language,
    )


def _join(organization: Organization, user: User, role: str, invited_by: User) -> bool:
    """Make `user` a member through an invitation, as a real admin would; False if already one."""
    if Membership.objects.filter(organization=organization, user=user).exists():
        return False
    invitation = Invitation.objects.filter(
        organization=organization, email__iexact=user.email, accepted_at__isnull=True
    ).first()
    if invitation is None or not invitation.is_open:
        invitation = services.invitation_create(
            organization=organization, email=user.email, role=role, invited_by=invited_by
        )
    services.invitation_accept(invitation=invitation, user=user)
    return True


@demo_seeder(order=20)
def seed_organizations() -> int:
    created = 0
    platform_admin = User.objects.get(email=PLATFORM_ADMIN_EMAIL)
    for spec in ORGANIZATIONS:
        admin, admin_created = _person(spec.admin)
        created += admin_created
        organization = Organization.objects.filter(
            registration_number=spec.registration_number
        ).first()
        if organization is None:
            organization = services.organization_register(
                user=admin,
                name_ar=spec.name_ar,
                name_en=spec.name_en,
                kind=spec.kind,
                city=City.objects.get(code=spec.city),
                registration_number=spec.registration_number,
            )
            created += 1
            if spec.approved:
                organization = services.organization_decide(
                    organization=organization, decided_by=platform_admin, approve=True
                )
        for person, role in spec.members:
            user, user_created = _person(person)
            created += user_created
            created += _join(organization, user, role, invited_by=admin)
    return created
