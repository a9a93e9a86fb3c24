"""The "4 tốt" model's finalization no longer rates quality (issue 16): a level used to be computed
from the model's score and kept on the review. Each finalized final-round level is carried over,
before the columns go, as the decided quality rating of its organization for that year — unless
that organization already has one — with a history row saying where it came from. Interim levels
were derived from the interim score alone and are not ratings under Quy định 366-QĐ/TW (which
rates a year): they go with the columns. Signed records are not touched: a signature keeps the
canonical content it covered."""

import json

from django.db import migrations
from django.utils import timezone
from django.utils.translation import gettext_noop

# The history reason in the coded form of audit.reasons ({"m": msgid}), written out here so the
# migration does not depend on that module's future.
REASON = json.dumps(
    {"m": gettext_noop("Chuyển từ kết quả chốt mô hình khi nâng cấp")},
    ensure_ascii=False,
    separators=(",", ":"),
)
CARRIED = (
    "Chuyển từ kết quả chốt tổng kết năm %(year)s của mô hình (phiên bản trước tính xếp loại "
    "chất lượng từ điểm mô hình). %(reason)s"
)


def carry_over(apps, schema_editor):
    Review = apps.get_model("reports", "Review")
    OrganizationRating = apps.get_model("reports", "OrganizationRating")
    History = apps.get_model("reports", "HistoricalOrganizationRating")
    taken = set(
        OrganizationRating.objects.filter(subject="organization").values_list(
            "organization_id", "year"
        )
    )
    reviews = (
        Review.objects.filter(round="final", status="finalized")
        .exclude(level="")
        .select_related("registration")
        .order_by("year", "pk")
    )
    for review in reviews:
        key = (review.registration.organization_id, review.year)
        if key in taken:
            continue
        taken.add(key)
        facts = review.facts or {}
        reason = " ".join(part for part in (review.level_reason, review.exception_reason) if part)
        values = {
            "organization_id": key[0],
            "year": review.year,
            "subject": "organization",
            "all_tasks_done": bool(facts.get("all_tasks_done", True)),
            "late_share": facts.get("late_share") or 0,
            "exceeding_share": facts.get("exceeding_share"),
            "disciplined": bool(facts.get("disciplined", False)),
            "proposed_level": review.level,
            "decided_level": review.level,
            "decision": (CARRIED % {"year": review.year, "reason": reason}).strip(),
            "decided_by_id": review.finalized_by_id,
            "decided_at": review.finalized_at,
        }
        rating = OrganizationRating.objects.create(**values)
        History.objects.create(
            id=rating.pk,
            history_date=review.finalized_at or timezone.now(),
            history_type="+",
            history_user_id=review.finalized_by_id,
            history_change_reason=REASON,
            self_parts={},
            parts={},
            **values,
        )


def carry_back(apps, schema_editor):
    """Undo: give the levels back to the reviews and remove the ratings made from them (their
    history rows stay: history is append-only)."""
    Review = apps.get_model("reports", "Review")
    OrganizationRating = apps.get_model("reports", "OrganizationRating")
    carried = OrganizationRating.objects.filter(decision__startswith=CARRIED.split("%")[0])
    for rating in carried:
        Review.objects.filter(
            registration__organization_id=rating.organization_id,
            year=rating.year,
            round="final",
            status="finalized",
        ).update(level=rating.decided_level)
    carried.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0014_organization_rating"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.RemoveField(model_name="historicalreview", name="exception_reason"),
        migrations.RemoveField(model_name="historicalreview", name="facts"),
        migrations.RemoveField(model_name="historicalreview", name="level"),
        migrations.RemoveField(model_name="historicalreview", name="level_reason"),
        migrations.RemoveField(model_name="review", name="exception_reason"),
        migrations.RemoveField(model_name="review", name="facts"),
        migrations.RemoveField(model_name="review", name="level"),
        migrations.RemoveField(model_name="review", name="level_reason"),
    ]
