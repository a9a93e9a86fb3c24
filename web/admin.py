from django.contrib import admin

from web.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent, what is waiting, what failed and why."""

    list_display = ["created_at", "kind", "subject", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
