from django.contrib import admin

from ataa.core.models import AuditEvent, City, District, OutboxMessage


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "verb", "actor", "organization_id", "target_type", "target_id"]
    list_filter = ["verb"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "task_name", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "task_name"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ar", "country", "code"]
    list_filter = ["country"]
    search_fields = ["name_en", "name_ar", "code"]
    inlines = [DistrictInline]
