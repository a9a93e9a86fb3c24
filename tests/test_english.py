"""Every page reads in English when the user switches to it.

Three layers: the catalogue translates every message; no template shows Vietnamese text outside a
translation tag; and every page of the access matrix, rendered in English, shows none of the
interface's Vietnamese messages (which would happen with a string evaluated at import time, or one
that escaped the catalogue). Documents (templates/*/pdf/) stay Vietnamese by design
(docs/decisions.md, "Language").
"""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_access import MATRIX, ROLES, WITHOUT_DATA, _with_pledges

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape")


def catalogue_entries() -> list[dict]:
    """The entries of the English catalogue: msgid, msgstr (plural forms joined) and flags."""
    entries, entry, field = [], None, None
    for raw in CATALOGUE.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry and entry.get("msgid"):
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": "", "msgid": "", "msgstr": ""}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            field = None
        elif line.startswith("msgid "):
            field = "msgid"
            entry[field] += _unquote(line)
        elif line.startswith("msgstr"):
            field = "msgstr"
            entry.setdefault("forms", []).append(_unquote(line))
            entry[field] = entry["forms"][0]
        elif line.startswith('"') and field:
            entry[field] += _unquote(line)
            if field == "msgstr":
                entry["forms"][-1] += _unquote(line)
    return entries


def test_the_catalogue_translates_every_message():
    entries = catalogue_entries()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e.get("forms") or [""])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], "run `make makemessages` and translate these"
    assert fuzzy == [], "check and unflag these fuzzy translations"


def _visible_template_text(source: str) -> str:
    """What a template shows outside Django tags, comments and translation blocks."""
    for pattern in (
        r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}",
        r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
        r"\{#.*?#\}",
        r"\{%.*?%\}",
        r"\{\{.*?\}\}",
    ):
        source = re.sub(pattern, "", source, flags=re.S)
    return source


def test_no_template_shows_vietnamese_outside_a_translation_tag():
    offending = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "pdf" in path.relative_to(ROOT / "templates").parts:
            continue
        text = _visible_template_text(path.read_text(encoding="utf-8"))
        offending += [
            f"{path.relative_to(ROOT)}: {line.strip()}"
            for line in text.splitlines()
            if VIETNAMESE.search(line)
        ]
    assert offending == []


# The models' names are also words of the data: a plan's title (typed, Vietnamese) reads
# "về xây dựng mô hình “Chi bộ bốn tốt”" in any interface language, and the automatic notes frozen
# with a submitted self-assessment (record text, kept as written) read "Chưa có xếp loại đảng viên
# năm 2023." in any language.
ALSO_DATA = {"Chi bộ bốn tốt", "Đảng bộ cơ sở bốn tốt", "xếp loại đảng viên"}


def _interface_messages() -> list[str]:
    """Vietnamese messages long enough not to be mistaken for data, without placeholders."""
    return sorted(
        {
            e["msgid"]
            for e in catalogue_entries()
            if len(e["msgid"]) >= 14
            and e["msgid"] not in ALSO_DATA
            and VIETNAMESE.search(e["msgid"])
            and "%" not in e["msgid"]
            and "<" not in e["msgid"]
            and e["msgstr"] != e["msgid"]
        }
    )


def _page_text(content: str) -> str:
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    content = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"\s+", " ", html.unescape(content))


# These show the document itself, exactly as it will be signed: Vietnamese by design.
DOCUMENT_PREVIEWS = {
    "pledges:pledge_preview",
    "reports:review_preview",
    "reports:self_review_preview",
    "reports:collective_report_preview",
}
PAGES = [
    name
    for name, (method, _args, expected) in MATRIX.items()
    if method == "get"
    and any(expected[role] == 200 for role in ROLES)
    and name not in DOCUMENT_PREVIEWS
]


@pytest.mark.parametrize("url_name", PAGES)
def test_every_page_reads_in_english(world, plan, login, url_name):
    if url_name not in WITHOUT_DATA:
        _with_pledges(world, plan)
    _method, args, expected = MATRIX[url_name]
    role = next(role for role in ROLES if expected[role] == 200)
    client = login(world.users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse(url_name, args=args(world)))
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return  # files and documents
    assert response["Content-Language"] == "en"
    text = _page_text(response.content.decode())
    left = [message for message in _interface_messages() if message in text]
    assert left == [], f"{url_name} shows Vietnamese interface text in English"
