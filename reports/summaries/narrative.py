"""The narrative sections of the summary report (BÁO CÁO): results, strengths, shortcomings and
their causes, lessons, tasks ahead — pre-filled from the figures where they say something, edited
by staff before issue, and kept with the issued report (what is issued is what they wrote).

The sections follow how Party committees write a báo cáo sơ kết / tổng kết [our reading: no
template of these sections was found in Quy định 399-QĐ/TW or the guides; docs/documents.md]."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.summaries.selectors import SummaryData
from vietnamese.numbers import number


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # as printed in the document (Vietnamese, not translated: docs are Vietnamese)
    label: object  # the form's label, in the reader's language
    required: bool


SECTIONS = (
    Section("results", "Kết quả đạt được", _("Kết quả đạt được"), True),
    Section("strengths", "Ưu điểm", _("Ưu điểm"), True),
    Section(
        "shortcomings",
        "Hạn chế, khuyết điểm và nguyên nhân",
        _("Hạn chế, khuyết điểm và nguyên nhân"),
        True,
    ),
    Section("lessons", "Bài học kinh nghiệm", _("Bài học kinh nghiệm"), False),
    Section(
        "tasks",
        "Phương hướng, nhiệm vụ thời gian tới",
        _("Phương hướng, nhiệm vụ thời gian tới"),
        True,
    ),
)


def _names(rows) -> str:
    return "; ".join(row.organization.name for row in rows)


def prefilled(data: SummaryData) -> dict[str, str]:
    """What the figures say, as sentences staff start from; a section the data says nothing about
    (lessons, tasks ahead) starts empty."""
    counts = data.counts
    model = data.plan.get_model_display()
    results = [
        f"Có {counts['registered']}/{counts['targets']} tổ chức đăng ký xây dựng mô hình “{model}” "
        f"({number(counts['registered_rate'])}%), {counts['signed']} tổ chức ký cam kết "
        f"({number(counts['signed_rate'])}%); {counts['submitted']} tổ chức đã nộp bản tự đánh giá, "
        f"{counts['finalized']} tổ chức đã có kết quả được cấp ủy quyết định."
    ]
    if counts["finalized"]:
        results.append(
            f"Có {counts['reached']}/{counts['registered']} tổ chức đạt mô hình "
            f"({number(counts['reached_rate'])}%)."
        )
    if data.members.get("rated"):
        results.append(
            f"Có {data.members['excellent']} đảng viên hoàn thành xuất sắc nhiệm vụ trên "
            f"{data.members['good_or_better']} đảng viên hoàn thành tốt nhiệm vụ trở lên."
        )
    strengths, shortcomings = [], []
    if counts["targets"] and counts["signed"] == counts["targets"]:
        strengths.append("100% tổ chức thực hiện đã đăng ký và ký cam kết xây dựng mô hình.")
    previous = data.previous
    if previous and counts["finalized"]:
        before, now = previous["reached_rate"], counts["reached_rate"]
        if now > before:
            strengths.append(
                f"Tỷ lệ tổ chức đạt mô hình tăng so với năm {previous['year']} "
                f"({number(before)}% lên {number(now)}%)."
            )
        elif now < before:
            shortcomings.append(
                f"Tỷ lệ tổ chức đạt mô hình giảm so với năm {previous['year']} "
                f"({number(before)}% xuống {number(now)}%)."
            )
    unsigned = [row for row in data.rows if row.registered and not row.pledge_status]
    if unsigned:
        shortcomings.append(f"Còn {len(unsigned)} tổ chức chưa ký cam kết: {_names(unsigned)}.")
    not_reached = [row for row in data.rows if row.reached is False]
    if not_reached:
        shortcomings.append(
            f"Có {len(not_reached)} tổ chức chưa đạt mô hình: {_names(not_reached)}."
        )
    return {
        "results": " ".join(results),
        "strengths": "\n".join(strengths),
        "shortcomings": "\n".join(shortcomings),
        "lessons": "",
        "tasks": "",
    }


def printed(sections: dict[str, str]) -> list[dict]:
    """The sections as the document prints them, in order, each as paragraphs; an empty optional
    section is left out."""
    out = []
    for section in SECTIONS:
        text = (sections or {}).get(section.key, "").strip()
        if not text and not section.required:
            continue
        out.append(
            {
                "key": section.key,
                "title": section.title,
                "paragraphs": [line.strip() for line in text.splitlines() if line.strip()],
            }
        )
    return out
