"""Every URL of the application × every role → the expected status.

Outsiders (secretary of another branch, for objects of branch A) get 404; insiders without the
right get 403; anonymous users are sent to log in (302). The Django admin is closed to every
application user (none is a system administrator). A URL pattern missing from the matrix fails
test_matrix_covers_every_url.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver, resolve, reverse

from branches.models import Position
from partydocs.models import CongressTerm
from tests.factories import staff

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
# The commune committee itself, which a branch's secretary does not reach.
COMMITTEE_OWN = {**OBJECT_OF_A, "secretary_own": 404}
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


def _term(world):
    return CongressTerm.objects.create(
        organization=world.branch_a,
        origin="congress",
        start_date="2025-09-12",
        label="2025–2030",
        key="2025–2030",
    )


MATRIX = {
    "home": ("get", lambda w: [], VIEW_ALL),
    # The work queue: everyone's own (a user without any work gets an empty page).
    "reports:worklist": ("get", lambda w: [], VIEW_ALL),
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
    "branches:reorganize": ("get", lambda w: [w.branch_a.pk, "merge"], MANAGE_A),
    "branches:term_list": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "reports:organization_years": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "reports:member_years": ("get", lambda w: [w.member_a.pk], OBJECT_OF_A),
    "reports:streaks": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "reports:streaks_xlsx": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "branches:term_remove": ("post", lambda w: [_term(w).pk], MANAGE_A_POST),
    "branches:role_assign": ("get", lambda w: [w.branch_a.pk], MANAGE_A),
    "branches:role_list": ("get", lambda w: [], MANAGE_ONLY),
    "branches:role_revoke": (
        "post",
        lambda w: [w.branch_a.role_assignments.get().pk],
        MANAGE_A_POST,
    ),
    "branches:member_list": ("get", lambda w: [], VIEW_ALL),
    "branches:member_accounts": ("get", lambda w: [w.branch_a.pk], MANAGE_A),
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
    "livez": ("get", lambda w: [], dict.fromkeys(ROLES, 200)),
    "robots": ("get", lambda w: [], dict.fromkeys(ROLES, 200)),
    # Accounts: a logged-in user is sent on from the log-in page; the reset pages are public.
    "login": ("get", lambda w: [], {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    "logout": ("post", lambda w: [], dict.fromkeys(ROLES, 302)),
    "password_change": ("get", lambda w: [], VIEW_ALL),
    "password_change_done": ("get", lambda w: [], VIEW_ALL),
    "password_reset": ("get", lambda w: [], dict.fromkeys(ROLES, 200)),
    "password_reset_done": ("get", lambda w: [], dict.fromkeys(ROLES, 200)),
    # A made-up link: the page says the link is not valid (and changes nothing).
    "password_reset_confirm": ("get", lambda w: ["MQ", "khong-hop-le"], dict.fromkeys(ROLES, 200)),
    "password_reset_complete": ("get", lambda w: [], dict.fromkeys(ROLES, 200)),
    "set_language": ("post", lambda w: [], dict.fromkeys(ROLES, 302)),
    # Plans: a published plan of the commune committee, targeting branches A and B.
    "criteria:plan_list": ("get", lambda w: [], VIEW_ALL),
    "criteria:plan_create": ("get", lambda w: [], MANAGE_ONLY),
    "criteria:plan_detail": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    "criteria:plan_pdf": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    "criteria:plan_docx": ("get", lambda w: [w.plan.pk], OBJECT_OF_A),
    # A member's own records: none of the fixture's accounts is a member's (their own records
    # are tested in tests/branches/test_member_accounts.py).
    "reports:my_records": ("get", lambda w: [], {**dict.fromkeys(ROLES, 404), "anonymous": 302}),
    "reports:my_plan_pdf": (
        "get",
        lambda w: [w.plan.pk],
        {**dict.fromkeys(ROLES, 404), "anonymous": 302},
    ),
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
    # The current version of a registration's pledge: a redirect for those who may see it.
    "pledges:current_pledge": (
        "get",
        lambda w: [w.registration.pk],
        {**OBJECT_OF_A, "staff": 302, "secretary_own": 302, "leader": 302, "official": 302},
    ),
    # Remind now: committee staff only (without an item, nothing is sent).
    "pledges:remind": ("post", lambda w: [], {**MANAGE_ONLY, "staff": 302}),
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
    # An amendment is asked first (a page saying what will happen), then made by a POST.
    "pledges:pledge_amend": ("get", lambda w: [w.signed.pk], ACT_A),
    "pledges:pledge_discard": (
        "post",
        lambda w: [w.draft.pk],
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
    "reports:member_rating_sheet": ("get", lambda w: [w.member_a.pk], OBJECT_OF_A),
    "reports:organization_rating": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "reports:committee_ratings": (
        "get",
        lambda w: [w.committee.pk],
        {**OBJECT_OF_A, "secretary_own": 404},
    ),
    # Without its form's fields the document sends the viewer back to the page (302).
    "reports:rating_results_document": (
        "get",
        lambda w: [w.committee.pk],
        {
            "staff": 302,
            "secretary_own": 404,
            "secretary_other": 404,
            "leader": 302,
            "official": 302,
            "anonymous": 302,
        },
    ),
    # Members' self-reviews (HD 43) and the collective's report (Mẫu 01).
    "reports:round_list": ("get", lambda w: [w.committee.pk], COMMITTEE_OWN),
    "reports:round_detail": (
        "get",
        lambda w: [w.review_round.pk],
        {**OBJECT_OF_A, "secretary_own": 302},
    ),
    "reports:round_edit": ("get", lambda w: [w.review_round.pk], ASSESS_A),
    "reports:round_branch": ("get", lambda w: [w.review_round.pk, w.branch_a.pk], OBJECT_OF_A),
    "reports:round_branch_pdf": ("get", lambda w: [w.review_round.pk, w.branch_a.pk], OBJECT_OF_A),
    "reports:self_review_open": (
        "post",
        lambda w: [w.review_round.pk, w.member_b.pk],
        {**ACT_A, "staff": 302, "secretary_own": 404},
    ),
    "reports:self_review_detail": ("get", lambda w: [w.self_review.pk], OBJECT_OF_A),
    "reports:self_review_edit": ("get", lambda w: [w.self_review.pk], ACT_A),
    "reports:self_review_preview": ("get", lambda w: [w.self_review.pk], OBJECT_OF_A),
    "reports:self_review_sign": ("get", lambda w: [w.self_review.pk], ACT_A),
    "reports:self_review_return": ("get", lambda w: [w.self_review.pk], ACT_A),
    "reports:self_review_vote": ("get", lambda w: [w.self_review.pk], ACT_A),
    "reports:self_review_decide": ("get", lambda w: [w.self_review.pk], DECIDE_A),
    "reports:self_review_pdf": ("get", lambda w: [w.self_review.pk], OBJECT_OF_A),
    "reports:rerating_pdf": ("get", lambda w: [w.rerating.pk], OBJECT_OF_A),
    "reports:review_records_pdf": ("get", lambda w: [w.committee.pk], COMMITTEE_OWN),
    "reports:collective_report": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "reports:collective_report_preview": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
    "reports:collective_report_sign": (
        "get",
        lambda w: [w.branch_a.pk],
        # The report is signed already: its secretary is shown the report.
        {**DECIDE_A, "leader": 403, "secretary_own": 302},
    ),
    "reports:collective_report_return": ("get", lambda w: [w.branch_a.pk], ASSESS_A),
    "reports:collective_report_pdf": ("get", lambda w: [w.branch_a.pk], OBJECT_OF_A),
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
    "reports:decision_docx": ("get", lambda w: [w.decision.pk], OBJECT_OF_A),
    # A draft decision has no giấy khen yet: back to the decision's page with the message.
    "reports:decision_certificates": (
        "get",
        lambda w: [w.decision.pk],
        {**OBJECT_OF_A, "staff": 302, "secretary_own": 302, "leader": 302, "official": 302},
    ),
    # The summary report and background documents.
    "reports:summary": ("get", lambda w: [w.plan.pk], COMMITTEE_VIEW),
    "reports:summary_export": ("get", lambda w: [w.plan.pk, "xlsx"], COMMITTEE_VIEW),
    # An empty form: the page again with the messages, nothing lost (200).
    "reports:summary_issue": ("post", lambda w: [w.plan.pk], DECIDE_A),
    # A large list's file by the task worker (the member list here): anyone with a role, within
    # their scope; every kind's scope is tested in tests/reports/test_exports.py.
    "reports:export": (
        "get",
        lambda w: ["members", "xlsx"],
        {**VIEW_ALL, **{r: 302 for r in ROLES if VIEW_ALL.get(r) == 200}},
    ),
    "reports:document_status": ("get", lambda w: [w.job.pk], COMMITTEE_VIEW),
    "reports:document_download": ("get", lambda w: [w.job.pk], COMMITTEE_VIEW),
    "reports:document_retry": (
        "post",
        lambda w: [w.job.pk],
        {**COMMITTEE_VIEW, "staff": 302, "leader": 302, "official": 302},
    ),
    # Public verification.
    "partydocs:verify": (
        "get",
        lambda w: [w.signed.signatures.get().code],
        dict.fromkeys(ROLES, 200),
    ),
    "partydocs:verify_upload": ("get", lambda w: [], dict.fromkeys(ROLES, 200)),
}
NAMESPACES = {"branches", "criteria", "partydocs", "pledges", "reports"}

CASES = [(name, role) for name in MATRIX for role in ROLES]
# Redirects that are not "log in first": switching the language goes back to the page.
PUBLIC_REDIRECTS = {"set_language"}
# Rows whose answer does not depend on the plan, pledges and reviews (spares their set-up).
WITHOUT_DATA = {
    "healthz",
    "livez",
    "robots",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
}


def _with_pledges(world, plan):
    """Publish the plan; branch A registers, signs version 1 and starts amending it (version 2)."""
    import datetime

    from django.utils import timezone

    from criteria import services as plans
    from pledges import services
    from tests.conftest import sign_pledge_directly

    plans.plan_publish(actor=staff(), plan=plan)
    secretary = world.users["secretary_own"]
    world.plan = plan
    world.registration = services.registration_register(
        actor=secretary,
        plan=plan,
        organization=world.branch_a,
        now=timezone.make_aware(datetime.datetime(2023, 8, 5, 9)),
    )
    first = world.registration.pledges.get()
    sign_pledge_directly(
        world, world.registration, now=timezone.make_aware(datetime.datetime(2023, 8, 20, 9))
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

    from reports.meetings.models import Evidence, Meeting
    from reports.reviews import recognition
    from reports.reviews.models import Nomination
    from reports.summaries.models import GeneratedDocument
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
    _with_self_reviews(world)


def _with_self_reviews(world):
    """A round of the commune committee with member A's self-review (a draft), a re-rating of
    member A (of 2022, apart from the plan's year) and branch A's collective report of this year."""
    import datetime

    from django.utils import timezone

    from reports.ratings.models import CollectiveReport, MemberRating, Rerating
    from reports.selfreviews.models import ReviewRound, SelfReview

    world.review_round = ReviewRound.objects.create(
        committee=world.committee,
        year=2023,
        deadline=datetime.date(2023, 12, 20),
        opened_by=world.users["staff"],
    )
    world.self_review = SelfReview.objects.create(
        round=world.review_round, member=world.member_a, branch=world.branch_a, form="2C"
    )
    rating = MemberRating.objects.create(
        member=world.member_a, branch=world.branch_a, year=2022, decided_level="completed"
    )
    world.rerating = Rerating.objects.create(
        member_rating=rating,
        old_level="good",
        new_level="completed",
        reason="x",
        decided_by=world.users["leader"],
        decided_at=timezone.now(),
    )
    world.collective_report = CollectiveReport.objects.create(
        organization=world.branch_a,
        year=timezone.localdate().year,
        subject="organization",
        status=CollectiveReport.Status.SUBMITTED,
    )


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_access_matrix(world, plan, login, url_name, role):
    if url_name not in WITHOUT_DATA:
        _with_pledges(world, plan)
    method, args, expected = MATRIX[url_name]
    url = reverse(url_name, args=args(world))
    client = login(world.users[role])
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], f"{method.upper()} {url} as {role}"
    if response.status_code == 302 and role == "anonymous" and url_name not in PUBLIC_REDIRECTS:
        assert response["Location"].startswith(reverse("login"))


def url_patterns(patterns=None, namespace=None, prefix=""):
    """Every URL pattern of the project, walking the whole resolver (includes, namespaces, the
    admin): yields (qualified name or None, full route, namespace)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from url_patterns(pattern.url_patterns, inner, route)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, route, namespace


def test_matrix_covers_every_url():
    """A new URL without a row in the matrix fails here; the admin's are walked by
    test_admin_is_closed_to_application_users."""
    patterns = [(name, route) for name, route, ns in url_patterns() if ns != "admin"]
    unnamed = [route for name, route in patterns if name is None]
    assert unnamed == [], "name these URL patterns and add them to the matrix"
    names = {name for name, _route in patterns}
    assert names - set(MATRIX) == set(), sorted(names - set(MATRIX))
    assert set(MATRIX) - names == set(), "rows for URLs that no longer exist"
    assert {name.split(":")[0] for name in names if ":" in name} == NAMESPACES


# Parameters of admin URLs, by name (path converters and regular-expression groups alike).
ADMIN_VALUES = {"app_label": "branches", "url": "khong-co/"}


def admin_urls() -> list[str]:
    """A concrete URL for every admin pattern (object ids made up: the admin checks the user
    before it looks anything up)."""
    urls = []
    for name, route, namespace in url_patterns():
        if namespace != "admin":
            continue
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: ADMIN_VALUES.get(m.group(1), "1"), route)
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ADMIN_VALUES.get(m.group(1), "1"), url)
        url = re.sub(r"\([^)]*\)", "1", url).replace("^", "").replace("$", "")
        url = "/" + url
        match = resolve(url)  # the made-up URL reaches that pattern
        assert name is None or match.view_name == name, (route, url, match.view_name)
        urls.append(url)
    return urls


# Public parts of the admin: its log-in form and the tree widget's translation catalogue.
ADMIN_PUBLIC = {"/admin/login/", "/admin/branches/organization/jsi18n/"}


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_closed_to_application_users(world, login, role):
    """No role of the application is a system administrator: every admin URL sends them (and
    anonymous visitors) to the admin log-in, and shows nothing."""
    client = login(world.users[role])
    urls = admin_urls()
    assert len(urls) > 80
    for url in urls:
        response = client.get(url)
        if url in ADMIN_PUBLIC:
            assert response.status_code == 200, url
            continue
        assert response.status_code == 302, f"GET {url} as {role}: {response.status_code}"
        # Logging out of the admin without being in it goes to its index, which asks to log in.
        expected = "/admin/" if url == "/admin/logout/" else "/admin/login/"
        assert response["Location"].startswith(expected), url


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
