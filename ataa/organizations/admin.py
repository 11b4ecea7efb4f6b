from django.contrib import admin

from ataa.organizations.models import Invitation, Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ar", "kind", "city", "status", "is_verified"]
    list_filter = ["status", "kind", "is_verified"]
    search_fields = ["name_en", "name_ar", "registration_number"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organization", "role", "created_at", "accepted_at", "revoked_at"]
