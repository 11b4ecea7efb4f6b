from django.contrib import admin

from ataa.volunteers.models import QualificationKind, Skill, VolunteeringField


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0


@admin.register(VolunteeringField)
class VolunteeringFieldAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ar", "code", "position"]
    inlines = [SkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ar", "field", "code"]
    list_filter = ["field"]
    search_fields = ["name_en", "name_ar", "code"]


@admin.register(QualificationKind)
class QualificationKindAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ar", "code", "expires"]
