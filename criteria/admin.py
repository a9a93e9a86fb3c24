from django.contrib import admin

from audit.admin import AuditedAdmin
from criteria.models import Criterion, Indicator, Plan


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["number", "title", "issuer", "issue_date", "status"]
    list_filter = ["status", "model"]
    search_fields = ["title", "issuer__name"]
    raw_id_fields = ["issuer", "targets", "created_by"]
    readonly_fields = ["term", "published_at", "closed_at", "criteria_locked_at"]
    inlines = [CriterionInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(AuditedAdmin):
    list_display = ["plan", "order", "name", "points"]
    inlines = [IndicatorInline]
