"""Writing and reading the audit history."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.reasons import Reason, describe, encode
from vietnamese.dates import short_date
from vietnamese.numbers import number


def tracked(instance, *, actor, reason: Reason | str):
    """Tag an instance so the history row written by its next save names who and why; the reason
    is stored in its language-independent form (audit.reasons)."""
    instance._history_user = actor
    instance._change_reason = encode(reason)
    return instance


HIDDEN_HISTORY_FIELDS = {"path", "depth", "numchild", "search_key", "sort_key"}


def history_rows(*record_sets, label=None) -> list[dict]:
    """History records (newest first) with the fields each changed since the previous record of
    the same object, each value as a reader reads it (`shown`: a choice's label, a person's or an
    organization's name, a date, a number with a decimal comma — never a stored code or an id).
    Several record sets (a plan, its criteria, its indicators) merge into one timeline;
    `label(record)` names the object a row is about."""
    rows, related = [], defaultdict(set)
    for records in record_sets:
        records = list(records)
        by_object: dict = {}
        for record in sorted(records, key=lambda r: r.history_date):
            previous = by_object.get(record.id)
            changes = []
            if previous is not None:
                many = [f.name for f in record.instance_type._meta.many_to_many]
                for change in record.diff_against(previous, excluded_fields=many).changes:
                    if change.field in HIDDEN_HISTORY_FIELDS:
                        continue
                    field = record.instance_type._meta.get_field(change.field)
                    if field.is_relation:
                        related[field.related_model].update(
                            v for v in (change.old, change.new) if v is not None
                        )
                    changes.append({"field": field, "old": change.old, "new": change.new})
            by_object[record.id] = record
            rows.append(
                {
                    "record": record,
                    "reason": describe(record.history_change_reason),
                    "changes": changes,
                    "label": label(record) if label else "",
                }
            )
    names = {model: model._default_manager.in_bulk(list(pks)) for model, pks in related.items()}
    for row in rows:
        row["changes"] = [
            {
                "field": change["field"].verbose_name,
                "old": shown(change["field"], change["old"], names),
                "new": shown(change["field"], change["new"], names),
            }
            for change in row["changes"]
        ]
    rows.sort(key=lambda row: row["record"].history_date, reverse=True)
    return rows


def shown(field, value, names: dict | None = None) -> str:
    """A stored value as the history shows it: "—" for nothing, a choice's label, "Có"/"Không",
    the name of the person or organization a key points to (not its id), dates and numbers the
    Vietnamese way."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        target = (names or {}).get(field.related_model, {}).get(value)
        if target is None:
            return _("(đã xóa)")
        full_name = getattr(target, "get_full_name", None)
        return (full_name() if callable(full_name) else "") or str(target)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
    if isinstance(value, datetime.date):
        return short_date(value)
    if isinstance(value, Decimal | float):
        return number(value)
    if isinstance(value, dict | list):
        # Structured results (a review's per-criterion totals, a rating's parts): their page
        # shows them; the history says they changed.
        return str(_("đã cập nhật"))
    return str(value)
