"""Administration for system administrators. Signed content and signatures are read-only here
as everywhere: an administrator can look, never alter."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from audit.admin import AuditedAdmin
from partydocs.models import Signature
from pledges.models import DeadlineExtension, Pledge, PledgeCommitment, PledgeTarget, Registration


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(AuditedAdmin):
    list_display = ["organization", "plan", "status", "registered_at"]
    list_filter = ["status"]
    raw_id_fields = ["plan", "organization", "registered_by"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.has_signed_documents():
            fields += ["plan", "organization"]  # what the signed pledges hang on
        return fields

    def has_delete_permission(self, request, obj=None):
        return False


class SignatureInline(GenericTabularInline):
    model = Signature
    fields = ["role", "full_name", "position", "signed_at", "code", "content_hash"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TargetInline(admin.TabularInline):
    model = PledgeTarget
    extra = 0
    can_delete = False
    readonly_fields = ["indicator", "value_yes", "value_number", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pledge)
class PledgeAdmin(AuditedAdmin):
    """Pledges are written by the application's services only; the admin shows them."""

    list_display = ["registration", "version", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = [
        "registration",
        "version",
        "status",
        "created_by",
        "return_reason",
        "returned_at",
        "returned_by",
    ]
    inlines = [TargetInline, SignatureInline]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "role", "document", "signed_at", "code"]
    search_fields = ["code", "full_name"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(AuditedAdmin):
    list_display = ["organization", "plan", "kind", "until"]
    raw_id_fields = ["plan", "organization", "granted_by"]


admin.site.register(PledgeCommitment, ReadOnlyAdmin)
