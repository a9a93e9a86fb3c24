from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from audit.admin import AuditedAdmin
from branches.models import Member, Membership, Organization, Position, RoleAssignment, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Thông tin"), {"fields": ["full_name", "email"]}),
        (
            _("Quyền hệ thống"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "full_name", "email", "password1", "password2"],
            },
        )
    ]


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin, AuditedAdmin):
    form = movenodeform_factory(Organization)
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "search_key"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


@admin.register(Member)
class MemberAdmin(AuditedAdmin):
    list_display = ["full_name", "card_number", "status", "branch", "is_active"]
    list_filter = ["status", "is_active", "gender"]
    search_fields = ["full_name", "card_number", "search_key"]
    list_select_related = ["branch"]
    raw_id_fields = ["branch", "user"]
    inlines = [MembershipInline, PositionInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ["user", "role", "organization", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "organization__name"]
    # A person and an organization are found by typing part of the name (the admin's own
    # searchable select, served from the app: no pop-up window, no CDN).
    autocomplete_fields = ["user", "organization"]
    readonly_fields = ["created_by"]
