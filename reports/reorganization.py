"""How the year's records follow a reorganization (branches.reorganization).

What is decided or signed stays where it was made: the meetings, the reviews of the "4 tốt"
model, the organizations' quality ratings, the collective reports and the signed self-reviews of
an organization that ends stay its own (it is kept under its successor, so they stay in reach).
What is still open follows the people: a moving member's rating of the year not yet decided goes
with them to their new branch, and so does a self-review not yet signed; a round of self-reviews
opened by a committee that ends goes on under its successor.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason
from branches.models import User
from branches.reorganization import SIGNED, YEAR, Change, Line
from partydocs.models import Signature
from reports.meetings.models import Meeting
from reports.ratings.models import CollectiveReport, MemberRating, OrganizationRating
from reports.reviews.models import Review
from reports.selfreviews.models import ReviewRound, SelfReview
from vietnamese.dates import short_date


def _open_ratings(change: Change):
    return MemberRating.objects.filter(
        branch__in=[s for s in change.sources if s.is_branch],
        member__is_active=True,
        year__gte=change.effective_date.year,
        decided_level="",
    )


def _open_self_reviews(change: Change):
    return SelfReview.objects.filter(
        branch__in=[s for s in change.sources if s.is_branch],
        member__is_active=True,
        round__year__gte=change.effective_date.year,
        signatures__isnull=True,
    )


def _open_rounds(change: Change):
    return ReviewRound.objects.filter(
        committee__in=[s for s in change.sources if not s.is_branch],
        year__gte=change.effective_date.year,
    ).order_by("year", "quarter")


def _round_taken(round: ReviewRound, committee) -> bool:
    return ReviewRound.objects.filter(
        committee=committee, year=round.year, quarter=round.quarter
    ).exists()


def _subtree(change: Change, lookup: str) -> Q:
    q = Q(pk__in=[])
    for source in change.sources:
        q |= Q(**{f"{lookup}__startswith": source.path})
    return q


def _signatures(model, ids) -> int:
    return Signature.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    ).count()


class YearFollows:
    def questions(self, change: Change) -> list:
        return []

    def problems(self, change: Change) -> list[str]:
        return []

    def lines(self, change: Change) -> list[Line]:
        if not change.ends():
            return []
        lines = []
        names = change.target_names()
        ratings = _open_ratings(change).count()
        if ratings:
            lines.append(
                Line(
                    YEAR,
                    Reason(
                        gettext_noop(
                            "%(count)s xếp loại đảng viên chưa quyết định (năm %(year)s trở đi) "
                            "chuyển theo đảng viên sang chi bộ mới."
                        ),
                        count=ratings,
                        year=change.effective_date.year,
                    ),
                )
            )
        drafts = _open_self_reviews(change).count()
        if drafts:
            lines.append(
                Line(
                    YEAR,
                    Reason(
                        gettext_noop(
                            "%(count)s bản tự kiểm điểm chưa ký chuyển theo đảng viên sang chi bộ mới."
                        ),
                        count=drafts,
                    ),
                )
            )
        for round in _open_rounds(change):
            target = change.target
            if change.kind == "merge" and not (target and _round_taken(round, target)):
                text = gettext_noop(
                    "Đợt kiểm điểm %(period)s của %(committee)s tiếp tục dưới %(target)s."
                )
            else:
                text = gettext_noop(
                    "Đợt kiểm điểm %(period)s của %(committee)s giữ nguyên; các chi bộ theo đợt "
                    "của %(target)s."
                )
            lines.append(
                Line(
                    YEAR,
                    Reason(
                        text,
                        period=round.period_label,
                        committee=round.committee.name,
                        target=", ".join(names),
                    ),
                )
            )
        kept = {
            "meetings": Meeting.objects.filter(_subtree(change, "branch__path")).count(),
            "reviews": Review.objects.filter(
                _subtree(change, "registration__organization__path")
            ).count(),
            "ratings": OrganizationRating.objects.filter(
                _subtree(change, "organization__path")
            ).count(),
        }
        if any(kept.values()):
            lines.append(
                Line(
                    YEAR,
                    Reason(
                        gettext_noop(
                            "Giữ nguyên tại tổ chức đã lập: %(meetings)s kỳ sinh hoạt, %(reviews)s "
                            "bản đánh giá mô hình, %(ratings)s xếp loại chất lượng tổ chức."
                        ),
                        **kept,
                    ),
                )
            )
        signed = (
            _signatures(
                Review,
                Review.objects.filter(_subtree(change, "registration__organization__path")).values(
                    "pk"
                ),
            )
            + _signatures(
                SelfReview, SelfReview.objects.filter(_subtree(change, "branch__path")).values("pk")
            )
            + _signatures(
                CollectiveReport,
                CollectiveReport.objects.filter(_subtree(change, "organization__path")).values(
                    "pk"
                ),
            )
        )
        if signed:
            lines.append(
                Line(
                    SIGNED,
                    Reason(
                        gettext_noop(
                            "%(count)s chữ ký trên bản tự đánh giá, bản tự kiểm điểm và báo cáo "
                            "kiểm điểm tập thể giữ nguyên nội dung đã ký; mã xác minh vẫn hợp lệ."
                        ),
                        count=signed,
                    ),
                )
            )
        return lines

    def apply(self, change: Change, actor: User) -> None:
        if not change.ends():
            return
        reason = Reason(
            gettext_noop("Sắp xếp tổ chức theo %(decision)s, từ ngày %(date)s"),
            decision=change.decision,
            date=short_date(change.effective_date),
        )
        destinations = change.member_destinations_after()
        for rating in list(_open_ratings(change)):
            rating.branch = destinations[rating.member_id]
            tracked(rating, actor=actor, reason=reason)
            rating.save(update_fields=["branch"])
        for review in list(_open_self_reviews(change).distinct()):
            review.branch = destinations[review.member_id]
            tracked(review, actor=actor, reason=reason)
            review.save(update_fields=["branch"])
        if change.kind != "merge":
            return
        target = change.targets[0]
        for round in list(_open_rounds(change)):
            if not _round_taken(round, target):
                round.committee = target
                tracked(round, actor=actor, reason=reason)
                round.save(update_fields=["committee"])


HANDLER = YearFollows()
