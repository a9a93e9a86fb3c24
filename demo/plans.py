"""Demo plans: Quế Phú's Kế hoạch 98-KH/ĐU of 31/7/2023 and Vĩnh Phúc's 09-KH/ĐU of 29/7/2022."""

import datetime

from django.db import transaction

from branches.models import Organization, RoleAssignment
from criteria import services
from criteria.models import Plan
from partydocs.numbering import term_of

PLANS = [
    {
        "issuer": "QS.QP",
        "sequence": 98,
        "issue_date": datetime.date(2023, 7, 31),
        "start_year": 2023,
        "end_year": 2023,
        "title": "về xây dựng mô hình “Chi bộ bốn tốt” năm 2023",
        "registration_deadline": datetime.date(2023, 8, 15),
        "signing_deadline": datetime.date(2023, 8, 31),
        "interim_review_deadline": datetime.date(2023, 10, 31),
        "final_review_deadline": datetime.date(2023, 12, 15),
        "signer_name": "Nguyễn Văn Định",
        "recipients": "Ban Thường vụ Huyện ủy Quế Sơn (b/c)\nCác đồng chí Đảng ủy viên\nCác chi bộ trực thuộc\nLưu Văn phòng Đảng ủy",
        "rename": {},
    },
    {
        "issuer": "VP.VPTU",
        "sequence": 9,
        "issue_date": datetime.date(2022, 7, 29),
        "start_year": 2022,
        "end_year": 2025,
        "title": "về xây dựng mô hình chi bộ “4 tốt” năm 2022 và những năm tiếp theo",
        "registration_deadline": datetime.date(2022, 8, 10),
        "signing_deadline": datetime.date(2022, 8, 20),
        "interim_review_deadline": None,
        "final_review_deadline": datetime.date(2022, 12, 31),
        "signer_name": "Vũ Quang Trung",
        "recipients": "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (b/c)\nCác chi bộ trực thuộc\nLưu Văn phòng Đảng ủy",
        # The Vĩnh Phúc plan words criteria 1 and 4 as the article quotes them.
        "rename": {1: "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị", 4: "Cán bộ, đảng viên tốt"},
    },
]


@transaction.atomic
def load() -> None:
    for spec in PLANS:
        spec = dict(spec)
        issuer = Organization.objects.get(code=spec.pop("issuer"))
        rename = spec.pop("rename")
        if Plan.objects.filter(
            issuer=issuer, term=term_of(spec["issue_date"]), sequence=spec["sequence"]
        ).exists():
            continue
        staff = (
            RoleAssignment.objects.filter(organization=issuer, role=RoleAssignment.Role.STAFF)
            .select_related("user")
            .first()
            .user
        )
        plan = services.plan_create(actor=staff, issuer=issuer, model=Plan.Model.BRANCH, **spec)
        for order, name in rename.items():
            plan.criteria.filter(order=order).update(name=name)
        services.plan_publish(actor=staff, plan=plan)
