"""Template hygiene that no page test would notice."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Django's {# … #} comment is one line only: one that spans lines is printed on the page.
OPEN_COMMENT = re.compile(r"\{#(?![^\n]*#\})")


def test_no_comment_spans_lines():
    problems = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for text in [path.read_text(encoding="utf-8")]
        for match in OPEN_COMMENT.finditer(text)
    ]
    assert problems == [], "use {% comment %} … {% endcomment %} for these"
