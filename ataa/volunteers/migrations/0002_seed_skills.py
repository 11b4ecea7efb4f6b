"""Seed the bilingual skills taxonomy, grouped in fields of volunteering. Reversible."""

from django.db import migrations

TAXONOMY = [
    # field code, Arabic, English, [(skill code, Arabic, English), …]
    ("health", "الصحة", "Health", [
        ("first-aid", "الإسعافات الأولية", "First aid"),
        ("nursing", "التمريض", "Nursing"),
        ("blood-drives", "تنظيم حملات التبرع بالدم", "Blood drive support"),
        ("health-awareness", "التوعية الصحية", "Health awareness"),
        ("elderly-care", "رعاية كبار السن", "Elderly care"),
        ("psychological-first-aid", "الإسعاف النفسي الأولي", "Psychological first aid"),
    ]),
    ("education", "التعليم", "Education", [
        ("tutoring", "التدريس الخصوصي", "Tutoring"),
        ("quran-teaching", "تحفيظ القرآن الكريم", "Quran teaching"),
        ("literacy", "محو الأمية", "Literacy teaching"),
        ("mentoring", "الإرشاد والتوجيه", "Mentoring"),
        ("training-delivery", "تقديم الدورات التدريبية", "Training delivery"),
    ]),
    ("relief", "الإغاثة", "Relief", [
        ("food-distribution", "توزيع السلال الغذائية", "Food distribution"),
        ("warehouse", "إدارة المستودعات", "Warehouse handling"),
        ("search-rescue", "البحث والإنقاذ", "Search and rescue"),
        ("crowd-management", "إدارة الحشود", "Crowd management"),
        ("driving", "قيادة المركبات", "Driving"),
        ("shelter-support", "دعم مراكز الإيواء", "Shelter support"),
    ]),
    ("technology", "التقنية", "Technology", [
        ("software-development", "تطوير البرمجيات", "Software development"),
        ("data-entry", "إدخال البيانات", "Data entry"),
        ("data-analysis", "تحليل البيانات", "Data analysis"),
        ("it-support", "الدعم الفني", "IT support"),
        ("graphic-design", "التصميم الجرافيكي", "Graphic design"),
        ("social-media", "إدارة وسائل التواصل الاجتماعي", "Social media"),
    ]),
    ("translation", "الترجمة", "Translation", [
        ("translation-ar-en", "الترجمة بين العربية والإنجليزية", "Arabic–English translation"),
        ("sign-language", "لغة الإشارة", "Sign language"),
        ("interpretation", "الترجمة الفورية", "Interpretation"),
        ("proofreading", "التدقيق اللغوي", "Proofreading"),
    ]),
    ("events", "الفعاليات", "Events", [
        ("event-organization", "تنظيم الفعاليات", "Event organization"),
        ("guest-reception", "الاستقبال والضيافة", "Guest reception"),
        ("hajj-umrah-service", "خدمة الحجاج والمعتمرين", "Hajj and Umrah service"),
        ("photography", "التصوير", "Photography"),
        ("public-speaking", "الإلقاء", "Public speaking"),
    ]),
    ("environment", "البيئة", "Environment", [
        ("tree-planting", "التشجير", "Tree planting"),
        ("beach-cleanup", "تنظيف الشواطئ", "Beach clean-up"),
        ("recycling", "إعادة التدوير", "Recycling"),
        ("environmental-awareness", "التوعية البيئية", "Environmental awareness"),
    ]),
    ("social-support", "الدعم الاجتماعي", "Social support", [
        ("home-visits", "الزيارات المنزلية", "Home visits"),
        ("orphan-support", "رعاية الأيتام", "Orphan support"),
        ("disability-support", "دعم الأشخاص ذوي الإعاقة", "Disability support"),
        ("family-counselling", "الإرشاد الأسري", "Family counselling"),
        ("fundraising", "جمع التبرعات", "Fundraising"),
    ]),
]


def seed(apps, schema_editor):
    VolunteeringField = apps.get_model("volunteers", "VolunteeringField")
    Skill = apps.get_model("volunteers", "Skill")
    for position, (code, name_ar, name_en, skills) in enumerate(TAXONOMY):
        field, _created = VolunteeringField.objects.get_or_create(
            code=code, defaults={"name_ar": name_ar, "name_en": name_en, "position": position}
        )
        for skill_code, skill_ar, skill_en in skills:
            Skill.objects.get_or_create(
                code=skill_code, defaults={"field": field, "name_ar": skill_ar, "name_en": skill_en}
            )


def unseed(apps, schema_editor):
    apps.get_model("volunteers", "Skill").objects.filter(
        code__in=[skill[0] for field in TAXONOMY for skill in field[3]]
    ).delete()
    apps.get_model("volunteers", "VolunteeringField").objects.filter(
        code__in=[field[0] for field in TAXONOMY]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
