"""Helpers shared by the plan tests."""


def indicator_rows(criterion):
    """The indicators of a criterion as the editing service takes them (one dict per row)."""
    fields = [
        "text",
        "points",
        "guide",
        "target_kind",
        "unit",
        "default_target",
        "evidence_required",
        "auto_source",
    ]
    return [
        {"id": i, **{f: getattr(i, f) for f in fields}}
        for i in criterion.indicators.order_by("order")
    ]
