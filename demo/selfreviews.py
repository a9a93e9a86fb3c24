"""Demo of the members' self-reviews (Hướng dẫn 43-HD/BTCTW), through the public services and
signed with the demo accounts' passwords, dated as it would have happened.

Quế Phú's committee opened the round of 2023 (deadline 20/12/2023). In Chi bộ thôn Phú Lộc four
members signed their self-review (Mẫu 2C) and the branch voted on two of them; one was returned
for rework; the secretary wrote and signed one for an elderly member who does not use a phone;
one is still a draft; the others have not started. In Chi bộ thôn Hương Mao two members signed.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from branches.models import Member, Organization, RoleAssignment, User
from criteria.rules import Level
from demo.pledges import TZ, demo_signer
from partydocs.signing import Evidence, canonical_json, content_hash
from reports.ratings.selectors import left_out
from reports.selfreviews import services
from reports.selfreviews.models import ReviewRound
from reports.selfreviews.services import self_review_content

DEADLINE = datetime.date(2023, 12, 20)
STRENGTHS = [
    "Luôn giữ vững lập trường tư tưởng chính trị; chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật của Nhà nước và quy định của địa phương.",
    "Có lối sống giản dị, trung thực; đoàn kết với quần chúng nơi cư trú; không có biểu hiện suy thoái.",
]
DUTIES = [
    "Dự đầy đủ các kỳ sinh hoạt chi bộ; tham gia vận động bà con làm đường giao thông nông thôn và thu gom rác thải.",
    "Hoàn thành nhiệm vụ chi bộ phân công theo dõi hộ gia đình ở xóm; tích cực tham gia phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”.",
]
SHORTCOMINGS = [
    "Có lúc chưa mạnh dạn phát biểu, góp ý trong sinh hoạt chi bộ.",
    "Việc tự học tập, nghiên cứu nghị quyết còn chưa thường xuyên.",
]


def _user(organization: Organization, role: str) -> User:
    return RoleAssignment.objects.filter(organization=organization, role=role).first().user


def _sections(rng: random.Random) -> dict[str, str]:
    return {
        "ideology": rng.choice(STRENGTHS),
        "duties": rng.choice(DUTIES),
        "pledge": "Thực hiện tốt bản cam kết tu dưỡng, rèn luyện, phấn đấu năm 2023.",
        "shortcomings": rng.choice(SHORTCOMINGS),
        "causes": "Bản thân chưa sắp xếp thời gian hợp lý, chưa chủ động.",
        "fixes": "Hạn chế được chỉ ra năm 2022 (dự sinh hoạt chưa đầy đủ) đã khắc phục: năm 2023 dự đủ các kỳ.",
        "remedies": "Chủ động nghiên cứu nghị quyết, mạnh dạn góp ý xây dựng chi bộ.",
    }


def _write(actor: User, review, rng: random.Random, score: int, **extra):
    return services.self_review_save(
        actor=actor,
        self_review=review,
        form="2C",
        sections=_sections(rng),
        parts={"total": Decimal(score)},
        proposed_level=Level.GOOD if score >= 70 else Level.COMPLETED,
        **extra,
    )


def _sign(user: User, review, day: datetime.date):
    now = datetime.datetime.combine(day, datetime.time(19, 30), tzinfo=TZ)
    content = self_review_content(review, user, day)
    return services.self_review_submit(
        signer=demo_signer(user),
        evidence=Evidence.at_address("10.0.8.21", "Mozilla/5.0 (Linux; Android 14) Mobile"),
        self_review=review,
        seen_hash=content_hash(canonical_json(content)),
        now=now,
    )


def _branch(round: ReviewRound, code: str, plan: list[str], rng: random.Random) -> None:
    branch = Organization.objects.get(code=code)
    secretary = _user(branch, RoleAssignment.Role.SECRETARY)
    members = [
        m
        for m in Member.objects.filter(branch=branch, is_active=True, user__isnull=False)
        .select_related("user")
        .order_by("sort_key", "pk")
        if m.user_id != secretary.pk
    ]
    excluded = left_out(members, round.year)
    members = [m for m in members if m.pk not in excluded]
    voters = Member.objects.filter(branch=branch, is_active=True, status=Member.Status.FULL).count()
    for index, (member, step) in enumerate(zip(members, plan, strict=False)):
        day = datetime.date(2023, 12, 4 + index)
        if step == "for":
            review = services.self_review_open(actor=secretary, review_round=round, member=member)
            review = _write(
                secretary,
                review,
                rng,
                74,
                on_behalf_reason="Đảng viên cao tuổi, không sử dụng điện thoại; tự kiểm điểm bằng lời tại chi bộ, bí thư ghi lại.",
            )
            _sign(secretary, review, day)
            continue
        review = services.self_review_open(actor=member.user, review_round=round, member=member)
        review = _write(member.user, review, rng, 78 + index)
        if step == "draft":
            continue
        _sign(member.user, review, day)
        if step == "returned":
            services.self_review_return(
                actor=secretary,
                self_review=review,
                reason="Phần hạn chế, khuyết điểm còn chung chung; đề nghị đồng chí nêu cụ thể và nêu kết quả khắc phục hạn chế năm trước.",
            )
        elif step == "voted":
            agree = voters - 1
            services.self_review_vote(
                actor=secretary,
                self_review=review,
                vote_date=datetime.date(2023, 12, 22),
                present=voters,
                votes={"vote_good": agree, "vote_completed": 1},
                comment="Chi bộ thống nhất với bản tự kiểm điểm của đồng chí.",
            )


@transaction.atomic
def load() -> None:
    committee = Organization.objects.get(code="QS.QP")
    if ReviewRound.objects.filter(committee=committee, year=2023).exists():
        return
    round = services.round_open(
        actor=_user(committee, RoleAssignment.Role.STAFF),
        committee=committee,
        year=2023,
        quarter=None,
        deadline=DEADLINE,
        note="Kiểm điểm, đánh giá, xếp loại chất lượng đảng viên năm 2023.",
    )
    rng = random.Random("kiem-diem-2023")
    _branch(
        round, "QS.QP.01", ["voted", "voted", "signed", "signed", "returned", "for", "draft"], rng
    )
    _branch(round, "QS.QP.02", ["signed", "signed"], rng)
