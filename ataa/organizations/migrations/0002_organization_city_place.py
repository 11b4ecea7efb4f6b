"""Organization.city becomes a reference to a bilingual city (core.City) instead of free text.

Existing names are matched to the seeded cities by their Arabic or English name, ignoring case
and Arabic spelling variants; a name that matches no city leaves the reference empty (an admin
then chooses it). Going back writes the Arabic name into the text column again.
"""

from django.db import migrations, models
import django.db.models.deletion


def _key(text):
    from ataa.core.text import normalize_arabic

    return normalize_arabic(text)


def text_to_city(apps, schema_editor):
    City = apps.get_model("core", "City")
    Organization = apps.get_model("organizations", "Organization")
    by_name = {}
    for city in City.objects.all():
        by_name[_key(city.name_ar)] = city.pk
        by_name[_key(city.name_en)] = city.pk
    for organization in Organization.objects.all():
        organization.city_ref_id = by_name.get(_key(organization.city))
        organization.save(update_fields=["city_ref"])


def city_to_text(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    for organization in Organization.objects.select_related("city_ref"):
        organization.city = organization.city_ref.name_ar if organization.city_ref_id else ""
        organization.save(update_fields=["city"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_seed_places"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="city_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.city",
            ),
        ),
        migrations.RunPython(text_to_city, city_to_text),
        # A default lets the text column come back on the way down (reverse of RemoveField).
        migrations.AlterField(
            model_name="organization",
            name="city",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="city"),
        ),
        migrations.RemoveField(model_name="organization", name="city"),
        migrations.RenameField(model_name="organization", old_name="city_ref", new_name="city"),
        migrations.AlterField(
            model_name="organization",
            name="city",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organizations",
                to="core.city",
                verbose_name="city",
            ),
        ),
    ]
