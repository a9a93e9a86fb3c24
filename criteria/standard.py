"""The standard templates a new plan starts from.

"Chi bộ 4 tốt" words the four criteria as the Quế Phú plan (Kế hoạch 98-KH/ĐU, 2023) does; the
indicators are the ones committees commonly score, with the meeting rules of Hướng dẫn
12-HD/BTCTW and the member-rating shares of the rating regulation, so a committee can adopt them
as they are. Points add up to 100; a branch reaches the model with 80 points and at least 70% of
each criterion.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from criteria.models import Indicator, Plan

T = Indicator.TargetKind
A = Indicator.AutoSource


@dataclass(frozen=True)
class IndicatorSpec:
    text: str
    points: str
    target_kind: str = T.YES_NO
    unit: str = ""
    default_target: str | None = None
    evidence_required: bool = False
    auto_source: str = A.NONE
    guide: str = ""
    score_rule: str = "proportional"
    score_step: str | None = None


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    description: str
    points: str
    min_points: str
    indicators: list[IndicatorSpec] = field(default_factory=list)


@dataclass(frozen=True)
class TemplateSpec:
    title: str
    purpose: str
    implementation: str
    pass_total: str
    criteria: list[CriterionSpec]


BRANCH_TEMPLATE = TemplateSpec(
    title="về xây dựng mô hình “Chi bộ bốn tốt”",
    purpose=(
        "Cụ thể hóa Nghị quyết Đại hội Đảng các cấp nhiệm kỳ 2020 - 2025; xây dựng Đảng bộ trong sạch, vững mạnh, "
        "nâng cao năng lực lãnh đạo, sức chiến đấu của chi bộ và chất lượng đội ngũ đảng viên; mỗi cán bộ, đảng viên "
        "luôn nỗ lực rèn luyện, học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.\n"
        "Việc xây dựng mô hình phải gắn với nhiệm vụ chính trị của từng chi bộ, thực chất, tránh hình thức; các chỉ tiêu "
        "được lượng hóa để chi bộ tự đánh giá và cấp ủy thẩm định."
    ),
    implementation=(
        "Các chi bộ trực thuộc đăng ký xây dựng mô hình, bí thư chi bộ ký cam kết thực hiện các chỉ tiêu; sinh hoạt "
        "định kỳ hằng tháng và lưu minh chứng theo từng chỉ tiêu.\n"
        "Văn phòng Đảng ủy theo dõi, tổng hợp; sơ kết 6 tháng, tổng kết cuối năm; Ban Thường vụ Đảng ủy xem xét, "
        "công nhận chi bộ đạt mô hình “Chi bộ bốn tốt”."
    ),
    pass_total="80",
    criteria=[
        CriterionSpec(
            name="Lãnh đạo hoàn thành tốt nhiệm vụ",
            description=(
                "Tích cực triển khai thực hiện các nhiệm vụ, chương trình, kế hoạch đề ra. Bám sát các văn bản chỉ đạo của "
                "cấp trên. Chi ủy và đồng chí Bí thư chi bộ luôn nghiêm túc thực hiện nêu gương, đề cao trách nhiệm trong "
                "việc lãnh đạo, chỉ đạo và phối hợp để hoàn thành tốt các nhiệm vụ được giao."
            ),
            points="30",
            min_points="21",
            indicators=[
                IndicatorSpec(
                    "Ban hành nghị quyết, chương trình công tác năm và cụ thể hóa kịp thời các văn bản chỉ đạo của cấp trên.",
                    "8",
                    evidence_required=True,
                    guide="Có nghị quyết năm và các nghị quyết, kế hoạch cụ thể hóa: 8 điểm; chậm hoặc thiếu: trừ 2 điểm mỗi văn bản.",
                ),
                IndicatorSpec(
                    "Tỷ lệ chỉ tiêu, nhiệm vụ chính trị được giao (kinh tế - xã hội, quốc phòng - an ninh, chuyên môn) hoàn thành.",
                    "10",
                    T.PERCENT,
                    default_target="100",
                    evidence_required=True,
                    guide="Điểm = 10 × tỷ lệ hoàn thành; dưới 80%: 0 điểm.",
                ),
                IndicatorSpec(
                    "Lãnh đạo Mặt trận và các đoàn thể cùng cấp hoàn thành tốt nhiệm vụ.",
                    "6",
                    guide="Các đoàn thể đều được xếp loại hoàn thành tốt trở lên: 6 điểm; mỗi đoàn thể chỉ hoàn thành: trừ 1 điểm.",
                ),
                IndicatorSpec(
                    "Chi ủy, bí thư chi bộ nêu gương; không có vụ việc phức tạp, đơn thư vượt cấp kéo dài trong phạm vi lãnh đạo.",
                    "6",
                    guide="Đạt: 6 điểm; có vụ việc phức tạp hoặc đơn thư vượt cấp chưa giải quyết: 0 điểm.",
                ),
            ],
        ),
        CriterionSpec(
            name="Chất lượng sinh hoạt tốt",
            description=(
                "Duy trì đều đặn, nền nếp, thường xuyên và có chất lượng việc sinh hoạt chi bộ định kỳ; lồng ghép phong phú, "
                "đa dạng các hình thức sinh hoạt chuyên môn, thảo luận chuyên đề, trao đổi thông tin thời sự, nắm bắt tình "
                "hình tư tưởng cán bộ, đảng viên; đổi mới hình thức sinh hoạt chuyên đề."
            ),
            points="25",
            min_points="17.5",
            indicators=[
                IndicatorSpec(
                    "Sinh hoạt chi bộ thường kỳ hằng tháng đủ 12/12 kỳ trong năm.",
                    "8",
                    T.NUMBER,
                    unit="kỳ",
                    default_target="12",
                    auto_source=A.REGULAR_MEETINGS,
                    guide="Đủ 12 kỳ: 8 điểm; thiếu mỗi kỳ: trừ 2 điểm.",
                    score_rule="deduct",
                    score_step="2",
                ),
                IndicatorSpec(
                    "Sinh hoạt chuyên đề ít nhất mỗi quý một kỳ.",
                    "5",
                    T.NUMBER,
                    unit="kỳ",
                    default_target="4",
                    auto_source=A.THEMATIC_MEETINGS,
                    guide="Đủ 4 kỳ: 5 điểm; thiếu mỗi kỳ: trừ 1,5 điểm.",
                    score_rule="deduct",
                    score_step="1.5",
                ),
                IndicatorSpec(
                    "Tỷ lệ kỳ sinh hoạt đạt chất lượng theo Hướng dẫn 12-HD/BTCTW (dự sinh hoạt trên 85%, không vắng không lý do, "
                    "đủ 90 phút, ghi sổ biên bản sinh hoạt chi bộ).",
                    "7",
                    T.PERCENT,
                    default_target="100",
                    auto_source=A.MEETING_QUALITY,
                    guide="Điểm = 7 × tỷ lệ kỳ đạt chất lượng.",
                ),
                IndicatorSpec(
                    "Chi ủy họp trước mỗi kỳ sinh hoạt; ghi chép đầy đủ sổ nghị quyết, sổ biên bản sinh hoạt chi bộ.",
                    "5",
                    evidence_required=True,
                    guide="Đủ các kỳ, ghi chép đầy đủ: 5 điểm; mỗi kỳ chi ủy không họp hoặc thiếu biên bản: trừ 1 điểm.",
                ),
            ],
        ),
        CriterionSpec(
            name="Đoàn kết, kỷ luật tốt",
            description=(
                "Xây dựng nội bộ luôn đoàn kết dựa trên cơ sở bình đẳng, hiểu biết và tôn trọng lẫn nhau; thực hiện nghiêm "
                "nguyên tắc tập trung dân chủ, tự phê bình và phê bình; thưởng, phạt công minh, chính xác; tinh thần phối hợp "
                "và chia sẻ chân thành, cầu thị."
            ),
            points="20",
            min_points="14",
            indicators=[
                IndicatorSpec(
                    "Nội bộ đoàn kết, thống nhất; thực hiện nghiêm nguyên tắc tập trung dân chủ, tự phê bình và phê bình.",
                    "8",
                    guide="Đạt: 8 điểm; có biểu hiện mất đoàn kết nội bộ: 0 điểm.",
                ),
                IndicatorSpec(
                    "Không có đảng viên vi phạm phải xử lý kỷ luật trong năm.",
                    "7",
                    guide="Đạt: 7 điểm; mỗi đảng viên bị kỷ luật: trừ 3,5 điểm.",
                ),
                IndicatorSpec(
                    "Thực hiện công tác kiểm tra, giám sát đảng viên theo chương trình của chi bộ.",
                    "5",
                    evidence_required=True,
                    guide="Thực hiện đủ chương trình: 5 điểm; thiếu mỗi cuộc kiểm tra, giám sát: trừ 1 điểm.",
                ),
            ],
        ),
        CriterionSpec(
            name="Đảng viên tốt",
            description=(
                "Chi bộ có trách nhiệm giáo dục đảng viên, đảng viên luôn giữ mối liên hệ mật thiết với chi bộ, thực hiện tốt "
                "lời dạy của Bác Hồ: “Đảng viên tốt thì chi bộ mới tốt, chi bộ tốt là do các đảng viên đều tốt”."
            ),
            points="25",
            min_points="17.5",
            indicators=[
                IndicatorSpec(
                    "Tỷ lệ đảng viên được xếp loại hoàn thành nhiệm vụ trở lên.",
                    "10",
                    T.PERCENT,
                    default_target="100",
                    auto_source=A.MEMBERS_COMPLETED,
                    guide="100%: 10 điểm; mỗi đảng viên không hoàn thành nhiệm vụ: trừ 3 điểm.",
                    score_rule="deduct",
                    score_step="3",
                ),
                IndicatorSpec(
                    "Tỷ lệ đảng viên được xếp loại hoàn thành tốt nhiệm vụ trở lên.",
                    "8",
                    T.PERCENT,
                    default_target="80",
                    auto_source=A.MEMBERS_GOOD,
                    guide="Từ 80% trở lên: 8 điểm; dưới 80%: 8 × tỷ lệ / 80%.",
                ),
                IndicatorSpec(
                    "Đảng viên đóng đảng phí đầy đủ, đúng hạn.",
                    "4",
                    T.PERCENT,
                    default_target="100",
                    guide="100%: 4 điểm; mỗi đảng viên chậm hoặc thiếu: trừ 1 điểm.",
                ),
                IndicatorSpec(
                    "Bồi dưỡng, giới thiệu quần chúng ưu tú để xem xét kết nạp vào Đảng.",
                    "3",
                    T.NUMBER,
                    unit="quần chúng",
                    default_target="1",
                    guide="Đạt mức cam kết: 3 điểm; không giới thiệu được quần chúng nào: 0 điểm.",
                ),
            ],
        ),
    ],
)

COMMITTEE_TEMPLATE = TemplateSpec(
    title="về xây dựng mô hình “Đảng bộ cơ sở bốn tốt”",
    purpose=(
        "Nâng cao năng lực lãnh đạo, sức chiến đấu của các đảng bộ trực thuộc; xây dựng cấp ủy, tổ chức đảng trong sạch, "
        "vững mạnh; các chỉ tiêu được lượng hóa để đảng bộ tự đánh giá và cấp ủy cấp trên thẩm định."
    ),
    implementation=(
        "Các đảng bộ trực thuộc đăng ký, bí thư cấp ủy ký cam kết; định kỳ báo cáo kết quả; sơ kết 6 tháng, tổng kết cuối "
        "năm; Ban Thường vụ xem xét, công nhận đảng bộ đạt mô hình “Đảng bộ cơ sở bốn tốt”."
    ),
    pass_total="80",
    criteria=[
        CriterionSpec(
            name="Lãnh đạo hoàn thành tốt nhiệm vụ chính trị",
            description="Lãnh đạo thực hiện thắng lợi nghị quyết đại hội và các nhiệm vụ chính trị được giao.",
            points="30",
            min_points="21",
            indicators=[
                IndicatorSpec(
                    "Tỷ lệ chỉ tiêu nghị quyết năm của đảng bộ đạt và vượt.",
                    "12",
                    T.PERCENT,
                    default_target="100",
                    evidence_required=True,
                    guide="Điểm = 12 × tỷ lệ chỉ tiêu đạt và vượt; dưới 80%: 0 điểm.",
                ),
                IndicatorSpec(
                    "Ban hành và cụ thể hóa kịp thời các văn bản lãnh đạo của cấp trên.",
                    "10",
                    evidence_required=True,
                    guide="Đầy đủ, kịp thời: 10 điểm; chậm hoặc thiếu: trừ 2 điểm mỗi văn bản.",
                ),
                IndicatorSpec(
                    "Chính quyền, Mặt trận và các đoàn thể cùng cấp được xếp loại hoàn thành tốt nhiệm vụ trở lên.",
                    "8",
                    guide="Tất cả hoàn thành tốt trở lên: 8 điểm; mỗi tổ chức chỉ hoàn thành nhiệm vụ: trừ 2 điểm.",
                ),
            ],
        ),
        CriterionSpec(
            name="Chất lượng sinh hoạt tốt",
            description="Cấp ủy và các chi bộ trực thuộc duy trì nền nếp, nâng cao chất lượng sinh hoạt.",
            points="25",
            min_points="17.5",
            indicators=[
                IndicatorSpec(
                    "Ban Chấp hành, Ban Thường vụ họp định kỳ đúng quy chế làm việc.",
                    "8",
                    evidence_required=True,
                    guide="Đủ các kỳ họp theo quy chế: 8 điểm; thiếu mỗi kỳ: trừ 2 điểm.",
                ),
                IndicatorSpec(
                    "Tỷ lệ chi bộ trực thuộc đạt mô hình “Chi bộ bốn tốt”.",
                    "10",
                    T.PERCENT,
                    default_target="70",
                    guide="Từ 70% trở lên: 10 điểm; dưới 70%: 10 × tỷ lệ / 70%.",
                ),
                IndicatorSpec(
                    "Tổ chức sinh hoạt chuyên đề, học tập nghị quyết đầy đủ.",
                    "7",
                    evidence_required=True,
                    guide="Đầy đủ: 7 điểm; thiếu mỗi chuyên đề hoặc hội nghị học tập nghị quyết: trừ 2 điểm.",
                ),
            ],
        ),
        CriterionSpec(
            name="Đoàn kết, kỷ luật tốt",
            description="Nội bộ đoàn kết, thống nhất; giữ nghiêm kỷ luật, kỷ cương của Đảng.",
            points="20",
            min_points="14",
            indicators=[
                IndicatorSpec(
                    "Cấp ủy đoàn kết, thống nhất; thực hiện nghiêm nguyên tắc tập trung dân chủ.",
                    "8",
                    guide="Đạt: 8 điểm; có biểu hiện mất đoàn kết trong cấp ủy: 0 điểm.",
                ),
                IndicatorSpec(
                    "Không có tổ chức đảng, cấp ủy viên bị xử lý kỷ luật.",
                    "7",
                    guide="Đạt: 7 điểm; có tổ chức đảng hoặc cấp ủy viên bị kỷ luật: 0 điểm.",
                ),
                IndicatorSpec(
                    "Thực hiện đủ chương trình kiểm tra, giám sát năm.",
                    "5",
                    evidence_required=True,
                    guide="Đủ chương trình: 5 điểm; thiếu mỗi cuộc: trừ 1 điểm.",
                ),
            ],
        ),
        CriterionSpec(
            name="Cán bộ, đảng viên tốt",
            description="Đội ngũ cán bộ, đảng viên gương mẫu, hoàn thành tốt nhiệm vụ được giao.",
            points="25",
            min_points="17.5",
            indicators=[
                IndicatorSpec(
                    "Tỷ lệ đảng viên được xếp loại hoàn thành nhiệm vụ trở lên.",
                    "10",
                    T.PERCENT,
                    default_target="100",
                    guide="100%: 10 điểm; mỗi đảng viên không hoàn thành nhiệm vụ: trừ 2 điểm.",
                ),
                IndicatorSpec(
                    "Tỷ lệ đảng viên được xếp loại hoàn thành tốt nhiệm vụ trở lên.",
                    "8",
                    T.PERCENT,
                    default_target="80",
                    guide="Từ 80% trở lên: 8 điểm; dưới 80%: 8 × tỷ lệ / 80%.",
                ),
                IndicatorSpec(
                    "Kết nạp đảng viên mới đạt chỉ tiêu nghị quyết.",
                    "7",
                    T.NUMBER,
                    unit="đảng viên",
                    default_target="3",
                    guide="Đạt chỉ tiêu: 7 điểm; thiếu mỗi đảng viên: trừ 2 điểm.",
                ),
            ],
        ),
    ],
)

TEMPLATES = {Plan.Model.BRANCH: BRANCH_TEMPLATE, Plan.Model.COMMITTEE: COMMITTEE_TEMPLATE}


def decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
