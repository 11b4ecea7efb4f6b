"""Seed the cities and districts of the Gulf that people choose from.

Reversible: going back removes exactly the seeded codes. Coordinates are city centres.
"""

from django.db import migrations

CITIES = [
    # code, Arabic, English, country, latitude, longitude
    ("riyadh", "الرياض", "Riyadh", "SA", "24.713600", "46.675300"),
    ("jeddah", "جدة", "Jeddah", "SA", "21.485800", "39.192500"),
    ("makkah", "مكة المكرمة", "Makkah", "SA", "21.389100", "39.857900"),
    ("madinah", "المدينة المنورة", "Madinah", "SA", "24.524700", "39.569200"),
    ("dammam", "الدمام", "Dammam", "SA", "26.420700", "50.088800"),
    ("khobar", "الخبر", "Al Khobar", "SA", "26.217200", "50.197100"),
    ("ahsa", "الأحساء", "Al-Ahsa", "SA", "25.383300", "49.586400"),
    ("taif", "الطائف", "Taif", "SA", "21.270300", "40.415800"),
    ("abha", "أبها", "Abha", "SA", "18.216400", "42.505300"),
    ("tabuk", "تبوك", "Tabuk", "SA", "28.383800", "36.555000"),
    ("buraydah", "بريدة", "Buraydah", "SA", "26.359200", "43.981800"),
    ("hail", "حائل", "Hail", "SA", "27.511400", "41.720800"),
    ("jazan", "جازان", "Jazan", "SA", "16.889200", "42.570600"),
    ("najran", "نجران", "Najran", "SA", "17.565600", "44.228900"),
    ("yanbu", "ينبع", "Yanbu", "SA", "24.089100", "38.063700"),
    ("dubai", "دبي", "Dubai", "AE", "25.204800", "55.270800"),
    ("abu-dhabi", "أبوظبي", "Abu Dhabi", "AE", "24.453900", "54.377300"),
    ("sharjah", "الشارقة", "Sharjah", "AE", "25.346300", "55.420900"),
    ("ajman", "عجمان", "Ajman", "AE", "25.405200", "55.513600"),
    ("al-ain", "العين", "Al Ain", "AE", "24.207500", "55.744700"),
    ("doha", "الدوحة", "Doha", "QA", "25.285400", "51.531000"),
    ("al-wakrah", "الوكرة", "Al Wakrah", "QA", "25.171500", "51.603400"),
    ("manama", "المنامة", "Manama", "BH", "26.228500", "50.586000"),
    ("muharraq", "المحرق", "Muharraq", "BH", "26.257500", "50.611900"),
    ("kuwait-city", "مدينة الكويت", "Kuwait City", "KW", "29.375900", "47.977400"),
    ("muscat", "مسقط", "Muscat", "OM", "23.588000", "58.382900"),
    ("amman", "عمّان", "Amman", "JO", "31.945400", "35.928400"),
]

DISTRICTS = {
    "jeddah": [
        ("al-rawdah", "الروضة", "Al-Rawdah"),
        ("al-safa", "الصفا", "Al-Safa"),
        ("al-hamra", "الحمراء", "Al-Hamra"),
        ("al-balad", "البلد", "Al-Balad"),
        ("al-naeem", "النعيم", "Al-Naeem"),
        ("al-salamah", "السلامة", "Al-Salamah"),
        ("al-marwah", "المروة", "Al-Marwah"),
    ],
    "riyadh": [
        ("al-olaya", "العليا", "Al-Olaya"),
        ("al-malaz", "الملز", "Al-Malaz"),
        ("al-naseem", "النسيم", "Al-Naseem"),
        ("al-sulay", "السلي", "Al-Sulay"),
        ("hittin", "حطين", "Hittin"),
        ("al-shifa", "الشفا", "Al-Shifa"),
        ("al-yarmouk", "اليرموك", "Al-Yarmouk"),
    ],
    "makkah": [
        ("al-aziziyah", "العزيزية", "Al-Aziziyah"),
        ("al-awali", "العوالي", "Al-Awali"),
        ("al-shawqiyah", "الشوقية", "Al-Shawqiyah"),
    ],
    "dammam": [
        ("al-faisaliyah", "الفيصلية", "Al-Faisaliyah"),
        ("al-shatea", "الشاطئ", "Al-Shatea"),
        ("al-noor", "النور", "Al-Noor"),
    ],
    "dubai": [
        ("deira", "ديرة", "Deira"),
        ("al-barsha", "البرشاء", "Al Barsha"),
        ("jumeirah", "جميرا", "Jumeirah"),
        ("al-qusais", "القصيص", "Al Qusais"),
    ],
    "doha": [
        ("al-sadd", "السد", "Al Sadd"),
        ("al-waab", "الوعب", "Al Waab"),
        ("west-bay", "الخليج الغربي", "West Bay"),
    ],
    "manama": [
        ("al-hoora", "الحورة", "Al Hoora"),
        ("juffair", "الجفير", "Juffair"),
        ("al-adliya", "العدلية", "Adliya"),
    ],
}


def seed(apps, schema_editor):
    City = apps.get_model("core", "City")
    District = apps.get_model("core", "District")
    for code, name_ar, name_en, country, latitude, longitude in CITIES:
        city, _created = City.objects.get_or_create(
            code=code,
            defaults={
                "name_ar": name_ar,
                "name_en": name_en,
                "country": country,
                "latitude": latitude,
                "longitude": longitude,
            },
        )
        for district_code, district_ar, district_en in DISTRICTS.get(code, []):
            District.objects.get_or_create(
                city=city,
                code=district_code,
                defaults={"name_ar": district_ar, "name_en": district_en},
            )


def unseed(apps, schema_editor):
    City = apps.get_model("core", "City")
    City.objects.filter(code__in=[city[0] for city in CITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_places")]

    operations = [migrations.RunPython(seed, unseed)]
