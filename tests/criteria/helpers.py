"""Helpers shared by the plan tests."""

from criteria.services import INDICATOR_FIELDS


def indicator_rows(criterion):
    """The indicators of a criterion as the editing service takes them (one dict per row)."""
    fields = [f for f in INDICATOR_FIELDS if f != "order"]
    return [
        {"id": i, **{f: getattr(i, f) for f in fields}}
        for i in criterion.indicators.order_by("order")
    ]


def plan_form_data(world, **override) -> dict:
    """What staff type into the new-plan form for Quế Phú's 2023 plan, with some fields changed."""
    return {
        "issuer": world.committee.pk,
        "model": "branch",
        "source": "standard",
        "issue_date": "31/07/2023",
        "sequence": "",
        "start_year": "2023",
        "end_year": "2023",
        "registration_deadline": "15/08/2023",
        "signing_deadline": "31/08/2023",
        "interim_review_deadline": "",
        "final_review_deadline": "15/12/2023",
        **override,
    }
