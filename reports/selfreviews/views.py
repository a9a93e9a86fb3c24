"""Pages of the members' self-reviews: the rounds a committee opens and their status at a glance,
a branch's members in a round, a member's self-review (write, see the exact document, sign),
the return, the branch's vote, a quarter's decision, and the documents."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Member
from branches.permissions import Action, has_perm, require_perm
from branches.selectors import get_member_for, get_organization_for
from partydocs.pages import signing_page
from rendering.downloads import attachment
from reports.ratings.hd43 import reading_view
from reports.selfreviews import documents, services
from reports.selfreviews.forms import DecideForm, RoundEditForm, RoundForm, SelfReviewForm, VoteForm
from reports.selfreviews.mine import own_member
from reports.selfreviews.models import SelfReview
from reports.selfreviews.selectors import (
    STATES,
    band,
    branch_rows,
    branches_of_round,
    committee_overview,
    forms_for,
    get_round_for,
    get_self_review_for,
    is_own,
    member_frame,
    reratings_visible_to,
    round_covers,
    rounds_for_branch,
)
from reports.selfreviews.services import self_review_content
from vietnamese.dates import short_date
from web.forms import bound, form_errors_from
from web.pages import reason_form_page, year_from
from web.ratelimits import limit_documents


def _pdf(document):
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )


@login_required
def round_list(request, org_pk):
    """A committee's rounds of self-reviews, and the form to open one (its staff and leaders)."""
    committee = get_organization_for(request.user, org_pk)
    require_perm(request.user, committee, Action.VIEW)
    may_open = has_perm(request.user, committee, Action.ASSESS)
    form = RoundForm(*bound(request), initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not may_open:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                round = services.round_open(
                    actor=request.user,
                    committee=committee,
                    year=data["year"],
                    quarter=data["quarter"],
                    deadline=data["deadline"],
                    note=data["note"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request, _("Đã mở đợt kiểm điểm %(p)s.") % {"p": round.period_label.lower()}
                )
                return redirect("reports:round_detail", pk=round.pk)
    # A branch's page lists the rounds its members review in (opened by a committee above it).
    rounds = (
        rounds_for_branch(committee)
        if committee.is_branch
        else committee.review_rounds.order_by("-year", "-quarter")
    )
    return render(
        request,
        "reports/selfreviews/round_list.html",
        {"committee": committee, "rounds": rounds, "form": form if may_open else None},
    )


@login_required
def round_detail(request, pk):
    """The committee's view of a round: every branch it covers, with its members' self-reviews
    by state; a branch's secretary is sent to their own branch."""
    round = get_round_for(request.user, pk)
    if not has_perm(request.user, round.committee, Action.VIEW):
        branches = [b for b in branches_of_round(round) if has_perm(request.user, b, Action.VIEW)]
        if len(branches) == 1:
            return redirect("reports:round_branch", pk=round.pk, branch_pk=branches[0].pk)
        raise Http404
    rows = committee_overview(round, branches_of_round(round))
    totals = {
        "members": sum(r.members for r in rows),
        "not_started": sum(r.not_started for r in rows),
        **{
            key: sum(r.counts[key] for r in rows)
            for key in ("draft", "returned", "submitted", "voted")
        },
    }
    return render(
        request,
        "reports/selfreviews/round_detail.html",
        {
            "round": round,
            "rows": rows,
            "totals": totals,
            "may_edit": has_perm(request.user, round.committee, Action.ASSESS),
            "past": timezone.localdate() > round.deadline,
        },
    )


@login_required
def round_edit(request, pk):
    round = get_round_for(request.user, pk)
    require_perm(request.user, round.committee, Action.ASSESS)
    form = RoundEditForm(*bound(request), initial={"deadline": round.deadline, "note": round.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, review_round=round, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("reports:round_detail", pk=round.pk)
    return render(request, "reports/selfreviews/round_edit.html", {"round": round, "form": form})


def _branch_of_round(request, round, branch_pk):
    branch = get_organization_for(request.user, branch_pk)
    if not branch.is_branch or not round_covers(round, branch):
        raise Http404
    return branch


@login_required
def round_branch(request, pk, branch_pk):
    """A branch's members in a round, each with the state of their self-review and what the
    branch may do next: write for a member who cannot, return, record the vote."""
    round = get_round_for(request.user, pk)
    branch = _branch_of_round(request, round, branch_pk)
    rows = branch_rows(round, branch)
    return render(
        request,
        "reports/selfreviews/round_branch.html",
        {
            "round": round,
            "branch": branch,
            "rows": [(row, STATES[row.state]) for row in rows],
            "summary": [(STATES[state], n) for state, n in Counter(r.state for r in rows).items()],
            "may_act": has_perm(request.user, branch, Action.ACT_FOR_BRANCH),
            "past": timezone.localdate() > round.deadline,
        },
    )


@login_required
@limit_documents
def round_branch_pdf(request, pk, branch_pk):
    round = get_round_for(request.user, pk)
    branch = _branch_of_round(request, round, branch_pk)
    return _pdf(documents.round_votes_pdf(round, branch))


@login_required
@require_POST
def self_review_open(request, pk, member_pk):
    """Open a member's self-review in a round: the member's own, or (the branch's secretary, the
    committee's staff) one for a member who cannot write it."""
    member = _member_for(request, member_pk)
    round = next((r for r in rounds_for_branch(member.branch) if r.pk == pk), None)
    if round is None:
        raise Http404
    try:
        review = services.self_review_open(actor=request.user, review_round=round, member=member)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        if is_own_member(member, request.user):
            return redirect("reports:my_records")
        return redirect("reports:round_branch", pk=round.pk, branch_pk=member.branch_id)
    return redirect("reports:self_review_edit", pk=review.pk)


def is_own_member(member: Member, user) -> bool:
    return member.user_id is not None and member.user_id == user.pk


def _member_for(request, member_pk) -> Member:
    """The member whose review is opened: one's own, or one the user's roles reach."""
    mine = Member.objects.filter(user=request.user, is_active=True, pk=member_pk).first()
    return own_member(request.user) if mine else get_member_for(request.user, member_pk)


def _actions(request, review: SelfReview) -> dict:
    user = request.user
    own = is_own(review, user)
    acts = has_perm(user, review.branch, Action.ACT_FOR_BRANCH)
    return {
        "own": own,
        "may_write": review.editable and (own or acts),
        "may_return": acts and review.status == SelfReview.Status.SUBMITTED and not review.voted,
        "may_vote": acts and review.status == SelfReview.Status.SUBMITTED,
        "may_decide": review.round.is_quarterly
        and review.voted
        and has_perm(user, review.branch, Action.DECIDE),
        "sees_branch": has_perm(user, review.branch, Action.VIEW),
    }


@login_required
def self_review_detail(request, pk):
    review = get_self_review_for(request.user, pk)
    today = timezone.localdate()
    content, _signed = documents.signed_or_current(
        review, lambda: self_review_content(review, request.user, today)
    )
    signature = review.signatures.filter(role="signer").order_by("-sequence").first()
    return render(
        request,
        "reports/selfreviews/detail.html",
        {
            "review": review,
            "content": content,
            "view": reading_view(content, member_frame(review.round.year)),
            "signature": signature,
            "past": today > review.round.deadline,
            "band": band(review),
            **_actions(request, review),
        },
    )


@login_required
def self_review_edit(request, pk):
    review = get_self_review_for(request.user, pk)
    actions = _actions(request, review)
    if not actions["may_write"]:
        if not review.editable:
            messages.info(request, _("Bản tự kiểm điểm đã ký nộp."))
            return redirect("reports:self_review_detail", pk=review.pk)
        raise PermissionDenied
    frame = member_frame(review.round.year)
    make = lambda data=None: SelfReviewForm(  # noqa: E731
        data, review=review, forms_allowed=forms_for(review.round), frame=frame, own=actions["own"]
    )
    form = make(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.self_review_save(
                actor=request.user, self_review=review, **form.values()
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if request.POST.get("then") == "sign":
                return redirect("reports:self_review_sign", pk=review.pk)
            messages.success(request, _("Đã lưu bản tự kiểm điểm (chưa ký)."))
            return redirect("reports:self_review_detail", pk=review.pk)
    return render(
        request,
        "reports/selfreviews/edit.html",
        {
            "review": review,
            "form": form,
            "past": timezone.localdate() > review.round.deadline,
            **actions,
        },
    )


@login_required
def self_review_preview(request, pk):
    review = get_self_review_for(request.user, pk)
    response = HttpResponse(
        documents.self_review_preview(review, request.user, nonce=str(request.csp_nonce))
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def self_review_sign(request, pk):
    review = get_self_review_for(request.user, pk)
    actions = _actions(request, review)
    already = review.signatures.filter(role="signer").order_by("-sequence").first()
    if (
        request.method == "POST"
        and already
        and already.user_id == request.user.pk
        and not review.editable
    ):
        return redirect("reports:self_review_detail", pk=review.pk)  # a double click
    if not review.editable:
        messages.info(request, _("Bản tự kiểm điểm đã ký nộp."))
        return redirect("reports:self_review_detail", pk=review.pk)
    if not actions["may_write"]:
        raise PermissionDenied
    return signing_page(
        request,
        content=self_review_content(review, request.user, timezone.localdate()),
        sign=lambda **proof: services.self_review_submit(self_review=review, **proof),
        done=_("Đã ký và nộp bản tự kiểm điểm. Mã xác minh: %(code)s"),
        success_url=reverse("reports:self_review_detail", args=[review.pk]),
        page={
            "title": _("Ký bản tự kiểm điểm"),
            "subtitle": _("%(name)s — %(period)s, hạn nộp %(deadline)s")
            % {
                "name": review.member.full_name,
                "period": review.round.period_label.lower(),
                "deadline": short_date(review.round.deadline),
            },
            "action_url": reverse("reports:self_review_sign", args=[review.pk]),
            "back_url": reverse("reports:self_review_detail", args=[review.pk]),
            "button": _("Ký và nộp"),
            "preview_url": reverse("reports:self_review_preview", args=[review.pk]),
        },
    )


@login_required
def self_review_return(request, pk):
    review = get_self_review_for(request.user, pk)
    require_perm(request.user, review.branch, Action.ACT_FOR_BRANCH)
    back = reverse("reports:self_review_detail", args=[review.pk])
    return reason_form_page(
        request,
        act=lambda reason: services.self_review_return(
            actor=request.user, self_review=review, reason=reason
        ),
        done=_("Đã trả lại bản tự kiểm điểm để đảng viên viết lại."),
        back=back,
        title=_("Trả lại bản tự kiểm điểm"),
        button=_("Trả lại để viết lại"),
        explain=_(
            "Đảng viên sẽ thấy lý do trên trang của mình, viết lại và ký lại; bản đã ký vẫn được lưu."
        ),
        subject=_("%(name)s — %(period)s")
        % {"name": review.member.full_name, "period": review.round.period_label},
    )


@login_required
def self_review_vote(request, pk):
    review = get_self_review_for(request.user, pk)
    require_perm(request.user, review.branch, Action.ACT_FOR_BRANCH)
    initial = {
        "vote_date": review.vote_date or timezone.localdate(),
        "comment": review.vote_comment,
    }
    if review.voted:
        initial.update(
            present=review.vote_present,
            **{
                name: getattr(review, name)
                for name in (
                    "vote_excellent",
                    "vote_good",
                    "vote_completed",
                    "vote_failed",
                    "vote_invalid",
                )
            },
        )
    form = VoteForm(*bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.self_review_vote(
                actor=request.user,
                self_review=review,
                vote_date=data["vote_date"],
                present=data["present"],
                votes={k: v for k, v in data.items() if k.startswith("vote_") and k != "vote_date"},
                comment=data["comment"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả biểu quyết của chi bộ."))
            return redirect("reports:round_branch", pk=review.round_id, branch_pk=review.branch_id)
    return render(request, "reports/selfreviews/vote.html", {"review": review, "form": form})


@login_required
def self_review_decide(request, pk):
    review = get_self_review_for(request.user, pk)
    require_perm(request.user, review.branch, Action.DECIDE)
    form = DecideForm(
        *bound(request), initial={"level": review.decided_level or review.vote_result}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quarter_decide(actor=request.user, self_review=review, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã quyết định xếp loại quý."))
            return redirect("reports:round_branch", pk=review.round_id, branch_pk=review.branch_id)
    return render(request, "reports/selfreviews/decide.html", {"review": review, "form": form})


@login_required
@limit_documents
def self_review_pdf(request, pk):
    review = get_self_review_for(request.user, pk)
    return _pdf(documents.self_review_pdf(review, request.user))


@login_required
@limit_documents
def rerating_pdf(request, pk):
    rerating = get_object_or_404(reratings_visible_to(request.user), pk=pk)
    return _pdf(documents.rerating_pdf(rerating))


@login_required
@limit_documents
def review_records_pdf(request, org_pk):
    committee = get_organization_for(request.user, org_pk)
    require_perm(request.user, committee, Action.VIEW)
    return _pdf(documents.review_records_pdf(committee, year_from(request)))
