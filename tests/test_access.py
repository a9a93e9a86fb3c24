"""Every URL of the application × every role → the expected status.

Outsiders (secretary of another branch, for objects of branch A) get 404; insiders without the
right get 403; anonymous users are sent to log in (302).
"""

import pytest
from django.urls import get_resolver, reverse

from branches.models import Position

ROLES = ["staff", "secretary_own", "secretary_other", "leader", "official", "anonymous"]

# name -> (method, args builder, {role: status})
VIEW_ALL = {
    "staff": 200,
    "secretary_own": 200,
    "secretary_other": 200,
    "leader": 200,
    "official": 200,
    "anonymous": 302,
}
OBJECT_OF_A = {
    "staff": 200,
    "secretary_own": 200,
    "secretary_other": 404,
    "leader": 200,
    "official": 200,
    "anonymous": 302,
}
MANAGE_A = {
    "staff": 200,
    "secretary_own": 403,
    "secretary_other": 404,
    "leader": 403,
    "official": 403,
    "anonymous": 302,
}
MANAGE_A_POST = {**MANAGE_A, "staff": 302}
ACT_A = {
    "staff": 200,
    "secretary_own": 200,
    "secretary_other": 404,
    "leader": 403,
    "official": 403,
    "anonymous": 302,
}
COMMITTEE_VIEW = {**OBJECT_OF_A, "secretary_own": 403}
ASSESS_A = {
    "staff": 200,
    "secretary_own": 403,
    "secretary_other": 404,
    "leader": 200,
    "official": 403,
    "anonymous": 302,
}
DECIDE_A = {
    "staff": 403,
    "secretary_own": 403,
    "secretary_other": 404,
    "leader": 200,
    "official": 403,
    "anonymous": 302,
}
MANAGE_ONLY = {
    "staff": 200,
    "secretary_own": 403,
    "secretary_other": 403,
    "leader": 403,
    "official": 403,
    "anonymous": 302,
}


def _position(world):
    return Position.objects.create(
        member=world.member_a,
        organization=world.branch_a,
        title=Position.Title.DEPUTY_SECRETARY,
        start_date="2020-01-01",
    )


MATRIX = {
    "home": ("get", lambda w: [], VIEW_ALL),
    "branches:organization_list": ("get", lambda w: [], VIEW_ALL),
    "branches:organization_detail": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "branches:organization_history": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    # Adding under the commune committee: a branch secretary cannot even see the committee.
    "branches:organization_create": (
        "get",
        lambda w: [w.committee.pk],
        {
            "staff": 200,
            "secretary_own": 404,
            "secretary_other": 404,
            "leader": 403,
            "official": 403,
            "anonymous": 302,
        },
    ),
    "branches:organization_edit": ("get", lambda w: [w.branch_a.pk], MANAGE_A),
    "branches:organization_set_active": ("post", lambda w: [w.branch_a.pk], MANAGE_A_POST),
    "branches:role_assign": ("get", lambda w: [w.branch_a.pk], MANAGE_A),
    "branches:role_list": ("get", lambda w: [], MANAGE_ONLY),
    "branches:role_revoke": (
        "post",
        lambda w: [w.branch_a.role_assignments.get().pk],
        MANAGE_A_POST,
    ),
    "branches:member_list": ("get", lambda w: [], VIEW_ALL),
    "branches:member_create": ("get", lambda w: [], MANAGE_ONLY),
    "branches:member_detail": ("get", lambda w: [w.member_a.pk], OBJECT_OF_A),
    "branches:member_history": ("get", lambda w: [w.member_a.pk], OBJECT_OF_A),
    "branches:member_edit": ("get", lambda w: [w.member_a.pk], MANAGE_A),
    "branches:member_transfer": ("get", lambda w: [w.member_a.pk], MANAGE_A),
    "branches:member_leave": ("get", lambda w: [w.member_a.pk], MANAGE_A),
    "branches:position_create": ("get", lambda w: [w.member_a.pk], MANAGE_A),
    "branches:position_end": ("get", lambda w: [_position(w).pk], MANAGE_A),
    "branches:import": ("get", lambda w: ["members"], MANAGE_ONLY),
    "branches:import_confirm": ("post", lambda w: ["members"], {**MANAGE_ONLY, "staff": 302}),
    "branches:import_template": ("get", lambda w: ["organizations"], MANAGE_ONLY),
    "healthz": ("get", lambda w: [], dict.fromkeys(ROLES, 200)),
    # Plans: a published plan of the commune committee, targeting branches A and B.
    "criteria:plan_list": ("get", lambda w: [], VIEW_ALL),
    "criteria:plan_create": ("get", lambda w: [], MANAGE_ONLY),
    "criteria:plan_detail": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    "criteria:plan_pdf": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    "criteria:plan_xlsx": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    "criteria:plan_history": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    "criteria:plan_edit": ("get", lambda w: [w.plan.pk], MANAGE_A),
    "criteria:plan_targets": ("get", lambda w: [w.plan.pk], MANAGE_A),
    "criteria:plan_points": ("get", lambda w: [w.plan.pk], MANAGE_A),
    "criteria:criterion_edit": ("get", lambda w: [w.plan.pk, 2], MANAGE_A),
    "criteria:plan_publish": ("post", lambda w: [w.plan.pk], MANAGE_A_POST),
    "criteria:plan_close": ("post", lambda w: [w.plan.pk], MANAGE_A_POST),
    # Registration and pledges: branch A registered; version 1 signed, version 2 a draft amendment.
    "pledges:registration_list": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    "pledges:registration_export": (
        "get",
        lambda w: [w.plan.pk, "xlsx"],
        {**OBJECT_OF_A, "secretary_own": 403},
    ),
    "pledges:register": ("get", lambda w: [w.plan.pk, w.branch_a.pk], ACT_A),
    "pledges:extend": ("get", lambda w: [w.plan.pk, w.branch_a.pk], MANAGE_A),
    "pledges:withdraw": ("get", lambda w: [w.registration.pk], ACT_A),
    "pledges:pledge_detail": ("get", lambda w: [w.signed.pk], OBJECT_OF_A),
    "pledges:pledge_history": ("get", lambda w: [w.signed.pk], OBJECT_OF_A),
    "pledges:pledge_pdf": ("get", lambda w: [w.signed.pk], OBJECT_OF_A),
    "pledges:pledge_preview": ("get", lambda w: [w.draft.pk], OBJECT_OF_A),
    "pledges:pledge_edit": ("get", lambda w: [w.draft.pk], ACT_A),
    "pledges:pledge_sign": (
        "get",
        lambda w: [w.draft.pk],
        {**MANAGE_A, "staff": 403, "secretary_own": 200},
    ),
    "pledges:pledge_accept": ("get", lambda w: [w.signed.pk], DECIDE_A),
    "pledges:pledge_return": ("get", lambda w: [w.signed.pk], DECIDE_A),
    "pledges:pledge_amend": (
        "post",
        lambda w: [w.signed.pk],
        {**ACT_A, "staff": 302, "secretary_own": 302},
    ),
    # The year: meetings, ratings, evidence, reviews, recognition.
    "reports:meeting_list": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "reports:meeting_create": ("get", lambda w: [w.branch_a.pk], ACT_A),
    "reports:meeting_edit": ("get", lambda w: [w.meeting.pk], ACT_A),
    "reports:meeting_delete": (
        "post",
        lambda w: [w.meeting.pk],
        {**ACT_A, "staff": 302, "secretary_own": 302},
    ),
    "reports:meeting_minutes": ("get", lambda w: [w.meeting.pk], OBJECT_OF_A),
    "reports:branch_ratings": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "reports:committee_ratings": (
        "get",
        lambda w: [w.committee.pk],
        {**OBJECT_OF_A, "secretary_own": 404},
    ),
    "reports:evidence_list": ("get", lambda w: [w.registration.pk], OBJECT_OF_A),
    "reports:evidence_file": ("get", lambda w: [w.evidence.pk], OBJECT_OF_A),
    "reports:evidence_delete": (
        "post",
        lambda w: [w.evidence.pk],
        {**ACT_A, "staff": 302, "secretary_own": 302},
    ),
    "reports:plan_reviews": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    "reports:review_open": (
        "post",
        lambda w: [w.registration.pk],
        {**ACT_A, "staff": 302, "secretary_own": 302},
    ),
    "reports:review_detail": ("get", lambda w: [w.review.pk], OBJECT_OF_A),
    "reports:review_preview": ("get", lambda w: [w.review.pk], OBJECT_OF_A),
    "reports:review_self": (
        "get",
        lambda w: [w.review.pk],
        {**ACT_A, "staff": 302, "secretary_own": 302},
    ),
    "reports:review_submit": (
        "get",
        lambda w: [w.review.pk],
        {**MANAGE_A, "staff": 403, "secretary_own": 302},
    ),
    "reports:review_return": ("get", lambda w: [w.review.pk], ASSESS_A),
    "reports:review_assess": ("get", lambda w: [w.review.pk], ASSESS_A),
    "reports:review_finalize": ("get", lambda w: [w.review.pk], DECIDE_A),
    "reports:review_document": ("get", lambda w: [w.review.pk, "self", "pdf"], OBJECT_OF_A),
    "reports:review_history": ("get", lambda w: [w.review.pk], OBJECT_OF_A),
    "reports:recognition": ("get", lambda w: [w.plan.pk], {**OBJECT_OF_A, "secretary_own": 403}),
    "reports:nomination_decide": ("post", lambda w: [w.nomination.pk], {**DECIDE_A, "leader": 302}),
    "reports:decision_create": ("post", lambda w: [w.plan.pk], {**DECIDE_A, "leader": 302}),
    "reports:decision_issue": ("post", lambda w: [w.decision.pk], {**DECIDE_A, "leader": 302}),
    "reports:decision_pdf": ("get", lambda w: [w.decision.pk], OBJECT_OF_A),
    # The summary report and background documents.
    "reports:summary": ("get", lambda w: [w.plan.pk], COMMITTEE_VIEW),
    "reports:summary_export": ("get", lambda w: [w.plan.pk, "xlsx"], COMMITTEE_VIEW),
    "reports:summary_issue": ("post", lambda w: [w.plan.pk], {**DECIDE_A, "leader": 302}),
    "reports:document_status": ("get", lambda w: [w.job.pk], COMMITTEE_VIEW),
    "reports:document_download": ("get", lambda w: [w.job.pk], COMMITTEE_VIEW),
    "reports:document_retry": (
        "post",
        lambda w: [w.job.pk],
        {**COMMITTEE_VIEW, "staff": 302, "leader": 302, "official": 302},
    ),
    # Public verification.
    "pledges:verify": (
        "get",
        lambda w: [w.signed.signatures.get().code],
        dict.fromkeys(ROLES, 200),
    ),
    "pledges:verify_upload": ("get", lambda w: [], dict.fromkeys(ROLES, 200)),
}
NAMESPACES = {"branches", "criteria", "pledges", "reports"}

CASES = [(name, role) for name in MATRIX for role in ROLES]


def _with_pledges(world, plan):
    """Publish the plan; branch A registers, signs version 1 and starts amending it (version 2)."""
    import datetime

    from django.utils import timezone

    from criteria import services as plans
    from pledges import services

    plans.plan_publish(actor=None, plan=plan)
    secretary = world.users["secretary_own"]
    world.plan = plan
    world.registration = services._register(
        actor=secretary, plan=plan, organization=world.branch_a, late_reason=""
    )
    first = world.registration.pledges.get()
    services._sign(
        pledge=first,
        user=secretary,
        seen_hash=None,
        drawing=None,
        ip_address=None,
        user_agent="",
        method="test",
        at=timezone.make_aware(datetime.datetime(2023, 8, 20, 9)),
    )
    world.signed = first
    world.draft = services.pledge_amend(actor=secretary, pledge=first)
    _with_the_year(world, plan)


def _with_the_year(world, plan):
    """A meeting with minutes, a piece of evidence, a submitted review, a nomination and a draft
    decision, all of branch A / the commune committee."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import Evidence, GeneratedDocument, Meeting, Nomination
    from reports.services import recognition
    from tests.reports.helpers import fill, open_review, submit

    world.meeting = Meeting.objects.create(
        branch=world.branch_a,
        date=datetime.date(2023, 3, 5),
        kind="regular",
        topic="Tháng 3",
        duration_minutes=90,
    )
    world.meeting.minutes.save("bb.pdf", ContentFile(b"%PDF-1.4 test"))
    world.meeting.attendance.create(member=world.member_a, status="present")
    indicator = plan.criteria.get(order=1).indicators.get(order=3)
    world.evidence = Evidence(
        registration=world.registration,
        indicator=indicator,
        year=2023,
        uploaded_by=world.users["secretary_own"],
    )
    world.evidence.file.save("mc.pdf", ContentFile(b"%PDF-1.4 test"))  # saves the row too
    world.review = open_review(world, world.registration)
    submit(
        world, fill(world, world.review), at=timezone.make_aware(datetime.datetime(2023, 12, 1, 9))
    )
    world.nomination = Nomination.objects.create(
        plan=plan,
        year=2023,
        kind="collective",
        organization=world.branch_a,
        reason="x",
        proposed_by=world.users["staff"],
    )
    world.decision = recognition.decision_create(
        actor=world.users["leader"],
        plan=plan,
        year=2023,
        issue_date=datetime.date(2023, 12, 30),
        signer_name="X",
    )
    world.job = GeneratedDocument(
        key="k",
        kind="summary",
        fmt="pdf",
        title="t",
        plan=plan,
        filename="b.pdf",
        content_type="application/pdf",
        status="ready",
    )
    world.job.file.save("b.pdf", ContentFile(b"%PDF-1.4 test"))


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_access_matrix(world, plan, login, url_name, role):
    _with_pledges(world, plan)
    method, args, expected = MATRIX[url_name]
    url = reverse(url_name, args=args(world))
    client = login(world.users[role])
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], f"{method.upper()} {url} as {role}"
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_matrix_covers_every_url():
    """A new URL without a row in the matrix fails here."""
    names = set()
    for pattern in get_resolver().url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace and namespace != "admin":
            assert namespace in NAMESPACES, f"add the {namespace} URLs to the matrix"
            names |= {f"{namespace}:{p.name}" for p in pattern.url_patterns}
    assert names <= set(MATRIX), sorted(names - set(MATRIX))


def test_outsider_gets_404_for_member_of_other_commune(world, login):
    """A committee's staff reach only their own subtree: the neighbouring commune is invisible."""
    from tests.factories import MemberFactory

    stranger = MemberFactory(branch=world.other_branch)
    client = login(world.users["staff"])
    assert client.get(reverse("branches:member_detail", args=[stranger.pk])).status_code == 404
    assert (
        client.get(
            reverse("branches:organization_detail", args=[world.other_branch.pk])
        ).status_code
        == 404
    )
    # …and the lists do not mention it either.
    page = client.get(reverse("branches:organization_list")).content.decode()
    assert "Chi bộ thôn Một" not in page
    assert "Chi bộ thôn Phú Lộc" in page


def test_official_of_district_sees_every_commune(world, login):
    client = login(world.users["official"])
    page = client.get(reverse("branches:organization_list")).content.decode()
    assert "Chi bộ thôn Một" in page and "Chi bộ thôn Phú Lộc" in page
