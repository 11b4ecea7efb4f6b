from django.contrib import admin

from ataa.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Platform staff follow what was sent; the rows are written by the services only."""

    list_display = ["id", "kind", "channel", "status", "attempts", "detail", "created_at"]
    list_filter = ["status", "channel", "kind"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
