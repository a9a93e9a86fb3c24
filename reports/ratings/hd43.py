"""The forms of Hướng dẫn 43-HD/BTCTW (31/10/2025), the guide to Quy định 366-QĐ/TW, as data.

The appendix of HD 43 lists (text, via the copies named in docs/rules.md, "Sources"):

- Mẫu 01-HD KĐ.ĐG — Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng của tập thể;
- Mẫu 2A-HD KĐ.ĐG — Bản kiểm điểm, tự đánh giá, xếp loại cá nhân giữ chức vụ lãnh đạo, quản lý;
- Mẫu 2B-HD KĐ.ĐG — … cá nhân không giữ chức vụ lãnh đạo, quản lý;
- Mẫu 2C-HD KĐ.ĐG — … cá nhân là đảng viên không làm việc trong hệ thống chính trị;
- Mẫu 03-HD KĐ.ĐG — Quyết định đánh giá, xếp loại lại tổ chức đảng, đảng viên năm …;
- Mẫu 04-HD KĐ.ĐG — Danh mục hồ sơ kiểm điểm, đánh giá, xếp loại;
- Mẫu 05-HD KĐ.ĐG — Bản tự đánh giá, xếp loại của cá nhân Quý …, Năm ….

The sections of Mẫu 2C are the form's own words [text, from a copy of the form]; 2A and 2B share
its outline and differ in the second point of part I, written here as we read the regulation
[reading]; Mẫu 05 and Mẫu 01 follow the same outline [reading]. Part B of every individual form is
the year's scoring frame (366 Điều 10: common criteria 30 + results of the tasks 70) and the
proposed level. Titles are Vietnamese source text marked for translation: a page shows them in the
reader's language, a document (and the content a member signs) always in Vietnamese.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from criteria.rules import Level

MAX_SECTION = 20_000


@dataclass(frozen=True)
class Section:
    """One part of a form the author writes: its number and title as printed, a guide shown
    while writing, and whether the form lets it be left out ("nếu có")."""

    code: str
    number: str
    title: str
    guide: str = ""
    required: bool = True


@dataclass(frozen=True)
class Group:
    """A numbered heading of part A, with its sections."""

    number: str
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class FormSpec:
    code: str
    name: str  # the form's name in HD 43's appendix
    title: str  # as printed on the document
    subtitle: str
    groups: tuple[Group, ...]
    signer_title: str  # under the signature
    source: str

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(section for group in self.groups for section in group.sections)


IDEOLOGY = Section(
    "ideology",
    "1",
    _(
        "Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ chức kỷ luật, trách nhiệm nêu gương, việc thực hiện những điều đảng viên không được làm; tác phong, lề lối làm việc. Liên hệ các biểu hiện về suy thoái, “tự diễn biến”, “tự chuyển hóa”."
    ),
)
PLEDGE = Section(
    "pledge",
    "3",
    _("Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định."),
)
DUTIES = {
    # [text] Mẫu 2C
    "2C": _(
        "Việc thực hiện quyền và nghĩa vụ của đảng viên theo các nhiệm vụ chính trị được cấp ủy, chi bộ phân công."
    ),
    # [reading] 2A and 2B: the duties of the post held
    "2B": _(
        "Việc thực hiện chức trách, nhiệm vụ được giao (khối lượng, chất lượng, tiến độ công việc) và nhiệm vụ đảng viên được cấp ủy, chi bộ phân công."
    ),
    "2A": _(
        "Việc thực hiện chức trách, nhiệm vụ được giao; kết quả lãnh đạo, quản lý, tổ chức thực hiện nhiệm vụ của địa phương, cơ quan, đơn vị được giao phụ trách; trách nhiệm giải trình, nêu gương."
    ),
}
SHORTCOMINGS = Group(
    "II",
    _("Hạn chế, khuyết điểm và nguyên nhân"),
    (
        Section("shortcomings", "1", _("Hạn chế, khuyết điểm.")),
        Section("causes", "2", _("Nguyên nhân của hạn chế, khuyết điểm.")),
    ),
)
FIXES = Group(
    "III",
    _(
        "Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ kiểm điểm trước"
    ),
    (
        Section(
            "fixes",
            "",
            "",
            _(
                "Kiểm điểm rõ từng hạn chế, khuyết điểm (đã được khắc phục; đang khắc phục, mức độ khắc phục; chưa được khắc phục); những khó khăn, vướng mắc (nếu có); trách nhiệm của cá nhân."
            ),
        ),
    ),
)
EXPLANATIONS = Group(
    "IV",
    _("Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)"),
    (
        Section(
            "explanations",
            "",
            "",
            _(
                "Giải trình từng vấn đề được gợi ý kiểm điểm, nêu nguyên nhân, xác định trách nhiệm của cá nhân đối với từng vấn đề."
            ),
            required=False,
        ),
    ),
)
COLLECTIVE = Group(
    "V",
    _("Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)"),
    (Section("collective", "", "", required=False),),
)
REMEDIES = Group(
    "VI",
    _("Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm"),
    (Section("remedies", "", ""),),
)

_KIND = {
    "2A": _("(Cá nhân giữ chức vụ lãnh đạo, quản lý)"),
    "2B": _("(Cá nhân không giữ chức vụ lãnh đạo, quản lý)"),
    "2C": _("(Đảng viên không làm việc trong hệ thống chính trị)"),
}


def _individual(code: str) -> FormSpec:
    return FormSpec(
        code=code,
        name=format_lazy("{} {}", _("Bản kiểm điểm, tự đánh giá, xếp loại cá nhân"), _KIND[code]),
        title="BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN",
        subtitle=_KIND[code],
        groups=(
            Group(
                "I",
                _("Ưu điểm, kết quả đạt được"),
                (IDEOLOGY, Section("duties", "2", DUTIES[code]), PLEDGE),
            ),
            SHORTCOMINGS,
            FIXES,
            EXPLANATIONS,
            COLLECTIVE,
            REMEDIES,
        ),
        signer_title="NGƯỜI TỰ KIỂM ĐIỂM",
        source=f"Mẫu {code}-HD KĐ.ĐG 2025 (Hướng dẫn 43-HD/BTCTW)",
    )


# Mẫu 05: the quarter's (or year's) self-assessment — what was done, what fell short, and the
# frame's points [reading: only the form's name is at hand].
PERIOD_FORM = FormSpec(
    code="05",
    name=_("Bản tự đánh giá, xếp loại của cá nhân (quý, năm)"),
    title="BẢN TỰ ĐÁNH GIÁ, XẾP LOẠI CỦA CÁ NHÂN",
    subtitle="",
    groups=(
        Group(
            "I",
            _("Kết quả thực hiện nhiệm vụ trong kỳ"),
            (
                Section(
                    "results",
                    "",
                    "",
                    _(
                        "Những nhiệm vụ được giao và kết quả: số lượng, chất lượng, tiến độ; nhiệm vụ vượt yêu cầu."
                    ),
                ),
            ),
        ),
        Group(
            "II",
            _("Hạn chế, khuyết điểm và nguyên nhân"),
            (Section("shortcomings", "", ""),),
        ),
        Group(
            "III",
            _("Phương hướng, biện pháp khắc phục (nếu có)"),
            (Section("remedies", "", "", required=False),),
        ),
    ),
    signer_title="NGƯỜI TỰ ĐÁNH GIÁ",
    source="Mẫu 05-HD KĐ.ĐG 2025 (Hướng dẫn 43-HD/BTCTW)",
)

INDIVIDUAL_FORMS = {code: _individual(code) for code in ("2A", "2B", "2C")}
FORMS = {**INDIVIDUAL_FORMS, "05": PERIOD_FORM}

# Mẫu 01: the collective's review report. Part B is the organization's own scores and level,
# kept on its quality rating (reports.ratings.OrganizationRating, the self-assessment step).
COLLECTIVE_FORM = FormSpec(
    code="01",
    name=_("Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng của tập thể"),
    title="BÁO CÁO",
    subtitle="kiểm điểm, tự đánh giá, xếp loại chất lượng của tập thể năm",
    groups=(
        Group(
            "I",
            _("Ưu điểm, kết quả đạt được"),
            (
                Section(
                    "results",
                    "",
                    "",
                    _(
                        "Kết quả lãnh đạo, chỉ đạo, tổ chức thực hiện nhiệm vụ chính trị, các chỉ tiêu, nhiệm vụ được giao; công tác xây dựng Đảng; trách nhiệm giải trình, nêu gương."
                    ),
                ),
            ),
        ),
        Group(
            "II",
            _("Hạn chế, khuyết điểm và nguyên nhân"),
            (
                Section("shortcomings", "1", _("Hạn chế, khuyết điểm.")),
                Section("causes", "2", _("Nguyên nhân của hạn chế, khuyết điểm.")),
            ),
        ),
        Group(
            "III",
            _(
                "Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ kiểm điểm trước"
            ),
            (Section("fixes", "", ""),),
        ),
        Group(
            "IV",
            _("Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)"),
            (Section("explanations", "", "", required=False),),
        ),
        Group(
            "V",
            _("Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm"),
            (Section("remedies", "", ""),),
        ),
    ),
    signer_title="",
    source="Mẫu 01-HD KĐ.ĐG 2025 (Hướng dẫn 43-HD/BTCTW)",
)


def clean_sections(spec: FormSpec, sections: dict) -> dict[str, str]:
    """The sections of a form as typed, trimmed; unknown parts dropped, over-long ones refused."""
    known = {section.code for section in spec.sections}
    cleaned = {code: (text or "").strip() for code, text in sections.items() if code in known}
    too_long = [code for code, text in cleaned.items() if len(text) > MAX_SECTION]
    if too_long:
        raise ValidationError(
            gettext("Mỗi phần viết tối đa %(n)s ký tự.")
            % {"n": f"{MAX_SECTION:,}".replace(",", ".")}
        )
    return {code: text for code, text in cleaned.items() if text}


def missing(spec: FormSpec, sections: dict) -> list[str]:
    """The numbers of the required parts left empty (e.g. "I.1", "III")."""
    return [
        f"{group.number}.{section.number}" if section.number else group.number
        for group in spec.groups
        for section in group.sections
        if section.required and not (sections.get(section.code) or "").strip()
    ]


def sections_content(spec: FormSpec, sections: dict) -> list[dict]:
    """The sections as a document prints them, in Vietnamese whatever the writer's language."""
    with translation.override("vi"):
        return [
            {
                "code": section.code,
                "group": group.number,
                "group_title": str(group.title),
                "number": section.number,
                "title": str(section.title),
                "text": sections.get(section.code, ""),
            }
            for group in spec.groups
            for section in group.sections
        ]


def reading_view(content: dict, frame) -> dict:
    """A form's content (as signed, or as it would be signed) for a page: the texts as written,
    the headings, the frame's parts and the level in the reader's language."""
    spec = COLLECTIVE_FORM if content["form"] == COLLECTIVE_FORM.code else FORMS[content["form"]]
    texts = {s.get("code"): s["text"] for s in content["sections"]}
    scores = [p["score"] for p in content["frame"]["parts"]]
    return {
        "groups": [
            (group, [(section, texts.get(section.code, "")) for section in group.sections])
            for group in spec.groups
        ],
        "parts": list(zip(frame.parts, scores, strict=False)),
        "points": content["frame"]["points"],
        "score": content["frame"]["score"],
        "level": Level(content["level_code"]).label if content.get("level_code") else "",
    }
