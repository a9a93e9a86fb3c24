"""Reading generated PDFs back, for assertions on what a reader would see."""

import io
import re
import unicodedata

from pypdf import PdfReader


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pages_text(content: bytes) -> list[str]:
    """The text of each page, NFC, white space collapsed."""
    return [_clean(page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages]


def text(content: bytes) -> str:
    return " ".join(pages_text(content))


def fonts(content: bytes) -> dict[str, bool]:
    """Every font used, with whether its program is embedded in the file."""
    found = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found
