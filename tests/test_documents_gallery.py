"""`make documents`: every kind of document rendered from the demo data — each read back (text,
fonts embedded, pages as PNG), its header and signer block compared with the body and authority
that issues it, and every Word copy opened with python-docx."""

import io
import shutil

import pytest
from django.core.management import call_command
from docx import Document

from tests.pdf import fonts, pages_text

# file → (the issuing body on the first page, the signer block's lines, in order)
EXPECTED = {
    "01-ke-hoach": ("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC", "T/M BAN THƯỜNG VỤ BÍ THƯ"),
    "02-ke-hoach-du-thao": ("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC", "T/M BAN THƯỜNG VỤ BÍ THƯ"),
    "03-danh-sach-dang-ky": ("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC", ""),
    "04-ban-cam-ket": ("CHI BỘ", "T/M CHI BỘ BÍ THƯ"),
    "05-ban-tu-danh-gia": ("CHI BỘ", "T/M CHI BỘ BÍ THƯ"),
    # The appraisal is the advising body's, signed by its head.
    "06-phieu-tham-dinh": ("VĂN PHÒNG", "CHÁNH VĂN PHÒNG"),
    "07-bao-cao-du-thao": ("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC", "T/M BAN THƯỜNG VỤ BÍ THƯ"),
    "08-bao-cao": ("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC", "T/M BAN THƯỜNG VỤ BÍ THƯ"),
    "09-quyet-dinh-cong-nhan": (
        "ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC",
        "T/M BAN THƯỜNG VỤ BÍ THƯ",
    ),
    "10-quyet-dinh-xep-loai": ("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC", "T/M BAN THƯỜNG VỤ BÍ THƯ"),
    "11-danh-sach-xep-loai": ("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC", ""),
    "12-giay-khen": ("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC", "T/M BAN THƯỜNG VỤ BÍ THƯ"),
    # The forms of Hướng dẫn 43-HD/BTCTW.
    "13-ban-kiem-diem": ("CHI BỘ THÔN PHÚ LỘC", "NGƯỜI TỰ KIỂM ĐIỂM"),
    "14-ban-kiem-diem-lap-thay": ("CHI BỘ THÔN PHÚ LỘC", "NGƯỜI LẬP THAY"),
    "15-bieu-quyet-xep-loai": ("CHI BỘ THÔN PHÚ LỘC", "T/M CHI BỘ BÍ THƯ"),
    "16-quyet-dinh-xep-loai-lai": (
        "ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC",
        "T/M BAN THƯỜNG VỤ BÍ THƯ",
    ),
    "17-danh-muc-ho-so": ("ĐẢNG ỦY XÃ QUẾ PHÚ", "NGƯỜI LẬP DANH MỤC"),
    "18-bao-cao-kiem-diem-tap-the": ("CHI BỘ THÔN PHÚ LỘC", "T/M CHI BỘ BÍ THƯ"),
}
DRAFTS = {
    "02-ke-hoach-du-thao",
    "07-bao-cao-du-thao",
    "16-quyet-dinh-xep-loai-lai",
    "18-bao-cao-kiem-diem-tap-the",
}


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils (pdftoppm)")
def test_every_kind_of_document_renders_from_the_demo(db, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.BONTOT_RATING_CAP_BASE = "good_or_better"  # as the demo counts (README)
    call_command("load_demo", stdout=io.StringIO())
    call_command("render_documents", out=str(tmp_path), stdout=io.StringIO())
    rendered = sorted(p.stem for p in tmp_path.glob("*.pdf"))
    assert rendered == sorted(EXPECTED)
    for name, (issuer, signer) in EXPECTED.items():
        content = (tmp_path / f"{name}.pdf").read_bytes()
        pages = [page.replace("\xa0", " ") for page in pages_text(content)]
        assert pages and all(pages), name
        assert len(list(tmp_path.glob(f"{name}-*.png"))) == len(pages), name
        used = fonts(content)
        assert used and all(used.values()), (name, used)  # every font embedded
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pages[0] and issuer in pages[0], name
        body = " ".join(pages)
        if signer:
            assert signer in body, name
        assert ("DỰ THẢO" in pages[0]) == (name in DRAFTS), name
    for name in ("01-ke-hoach", "08-bao-cao", "09-quyet-dinh-cong-nhan"):
        word = Document(tmp_path / f"{name}.docx")
        header = word.tables[0].rows[0].cells[0].text.replace("\xa0", " ")
        assert EXPECTED[name][0] in header and "Số " in header, name
        signer = word.tables[1].rows[0].cells[1].text
        assert signer.startswith("T/M BAN THƯỜNG VỤ\nBÍ THƯ"), name
    index = (tmp_path / "index.html").read_text()
    assert all(f"{name}.pdf" in index for name in EXPECTED)
