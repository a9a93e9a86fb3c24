"""Every write service checks its own permission: called by someone with no role over the object
(a secretary of a branch of another commune), each one refuses with PermissionDenied — before any
validation, so the refusal does not depend on what was passed.

The services are found, not listed: every public function of a service module that takes an
`actor` or a `signer`. A new service without a check fails here; a new parameter name fails with
a KeyError until the test knows what to pass for it.
"""

import datetime
import importlib
import inspect

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PASSWORD
from tests.test_access import _with_pledges

SERVICE_MODULES = [
    "branches.services",
    "branches.reorganization.services",
    "criteria.services",
    "pledges.services",
    "reports.meetings.services",
    "reports.ratings.services",
    "reports.ratings.collective",
    "reports.selfreviews.services",
    "reports.reviews.services",
    "reports.reviews.recognition",
    "reports.summaries.services",
]


def write_services():
    found = []
    for name in SERVICE_MODULES:
        module = importlib.import_module(name)
        for attribute, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != name or attribute.startswith("_"):
                continue
            parameters = inspect.signature(function).parameters
            if "actor" in parameters or "signer" in parameters:
                found.append(pytest.param(function, id=f"{name}.{attribute}"))
    return found


def _self_review(world):
    """A member's self-review in a round of the commune committee (made once per test)."""
    from reports.selfreviews.models import ReviewRound, SelfReview
    from tests.factories import administrator

    round, _created = ReviewRound.objects.get_or_create(
        committee=world.committee,
        year=2023,
        quarter=None,
        defaults={"deadline": datetime.date(2023, 12, 20), "opened_by": administrator()},
    )
    review, _created = SelfReview.objects.get_or_create(
        round=round, member=world.member_a, defaults={"branch": world.branch_a, "form": "2C"}
    )
    return review


def _collective_report(world):
    from reports.ratings.models import CollectiveReport

    report, _created = CollectiveReport.objects.get_or_create(
        organization=world.branch_a,
        year=2023,
        subject="organization",
        defaults={"status": CollectiveReport.Status.SUBMITTED},
    )
    return report


def _merge_change(world):
    from branches.reorganization import Change

    return Change(
        kind="merge",
        sources=[world.branch_b],
        target=world.branch_a,
        effective_date=datetime.date(2023, 9, 1),
        decision="x",
    )


def _arguments(function, world, outsider) -> dict:
    from branches.models import Position, RoleAssignment
    from branches.services import position_assign
    from partydocs.signing import Evidence, Signer
    from tests.factories import administrator

    parameters = inspect.signature(function).parameters
    signs = "signer" in parameters
    plan = world.plan
    day = datetime.date(2023, 9, 1)
    pledge = world.draft if function.__name__ in ("pledge_save",) else world.signed
    values = {
        "actor": outsider,
        "signer": Signer(
            user=outsider, password=PASSWORD, full_name=outsider.full_name, consent=True
        ),
        "evidence": Evidence.at_address("10.0.0.9", "test") if signs else world.evidence,
        "seen_hash": "0" * 64,
        "now": None,
        # The objects acted on, all in the commune committee's subtree.
        "branch": world.branch_a,
        "parent": world.committee,
        "organization": world.branch_a,
        "issuer": world.committee,
        "scope": world.committee,
        "to_branch": world.branch_b,
        "member": world.member_a,
        "members": [world.member_a],
        "position": Position.objects.filter(organization=world.branch_a).first()
        or position_assign(
            actor=administrator(),
            member=world.member_a,
            organization=world.branch_a,
            title="committee_member",
            start_date=datetime.date(2020, 8, 1),
        ),
        "assignment": RoleAssignment.objects.get(user=world.users["secretary_own"]),
        "user": world.users["leader"],
        "plan": plan,
        "criterion": plan.criteria.first(),
        "indicator": plan.criteria.first().indicators.first(),
        "pledge": pledge,
        "registration": world.registration,
        "review": world.review,
        "meeting": world.meeting,
        "nomination": world.nomination,
        "decision": world.decision,
        # Plain values: what they are does not matter, the refusal comes first.
        "fields": None,
        "start_date": day,
        "end_date": day,
        "date": day,
        "issue_date": day,
        "until": day,
        "year": 2023,
        "round": "final",
        "reason": "x",
        "late_reason": "",
        "note": "",
        "active": False,
        "title": "secretary",
        "role": "staff",
        "username": "nguoila",
        "full_name": "Người Lạ",
        "email": "",
        "password": "x",
        "model": "branch",
        "sequence": None,
        "copy_from": None,
        "points": {},
        "indicator_points": {},
        "name": "x",
        "description": "",
        "indicators": [],
        "organizations": [world.branch_a],
        "kind": "signing" if function.__name__ == "deadline_extend" else "collective",
        "targets": {},
        "commitments": {},
        "file": SimpleUploadedFile("mc.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        "topic": "x",
        "duration_minutes": 90,
        "attendance": {},
        "minutes_file": None,
        "column": "self",
        "levels": {},
        "subject": "organization",
        "level": "good",
        "rule": "branch_members",
        "rows": {},
        "revision": 0,
        "committee_met_on": None,
        "draft_resolution": "",
        "resolution": "",
        "follow_up": "",
        "signer_name": "x",
        "sections": {},
        "signer_title": None,
        "recipients": "",
        "approve": True,
        "data": {},
        # Members' self-reviews (HD 43) and the collective's report.
        "committee": world.committee,
        "review_round": _self_review(world).round,
        "self_review": _self_review(world),
        "report": _collective_report(world),
        "quarter": None,
        "deadline": day,
        "form": "2C",
        "parts": {},
        "proposed_level": "",
        "on_behalf_reason": "",
        "vote_date": day,
        "present": 1,
        "votes": {},
        "comment": "",
        "today": None,
        "score": None,
        # A reorganization: the commune's two branches merged.
        "change": _merge_change(world),
        "fingerprint": "0" * 64,
    }
    arguments = {}
    for name, parameter in parameters.items():
        if parameter.kind == parameter.VAR_KEYWORD:
            continue
        if name not in values:
            raise KeyError(f"{function.__name__}: the test does not know what to pass as {name}")
        if values[name] is not None or parameter.default is inspect.Parameter.empty:
            arguments[name] = values[name]
    return arguments


@pytest.mark.parametrize("service", write_services())
def test_every_write_service_refuses_an_outsider(world, plan, service):
    _with_pledges(world, plan)
    outsider = world.users["secretary_other"]
    with pytest.raises(PermissionDenied):
        service(**_arguments(service, world, outsider))


def test_the_services_are_found():
    """The discovery sees the services (so the test above cannot pass by finding none)."""
    names = {param.id.rsplit(".", 1)[1] for param in write_services()}
    assert {"pledge_sign", "review_submit", "member_create", "plan_publish"} <= names
    assert len(names) >= 40
