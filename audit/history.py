"""Writing and reading the audit history."""

from audit.reasons import Reason, describe, encode


def tracked(instance, *, actor, reason: Reason | str):
    """Tag an instance so the history row written by its next save names who and why; the reason
    is stored in its language-independent form (audit.reasons)."""
    instance._history_user = actor
    instance._change_reason = encode(reason)
    return instance


HIDDEN_HISTORY_FIELDS = {"path", "depth", "numchild", "search_key", "sort_key"}


def history_rows(*record_sets, label=None) -> list[dict]:
    """History records (newest first) with the fields each changed since the previous record of
    the same object. Several record sets (a plan, its criteria, its indicators) merge into one
    timeline; `label(record)` names the object a row is about."""
    rows = []
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
                    changes.append(
                        {"field": field.verbose_name, "old": change.old, "new": change.new}
                    )
            by_object[record.id] = record
            rows.append(
                {
                    "record": record,
                    "reason": describe(record.history_change_reason),
                    "changes": changes,
                    "label": label(record) if label else "",
                }
            )
    rows.sort(key=lambda row: row["record"].history_date, reverse=True)
    return rows
