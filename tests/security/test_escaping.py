"""User text is text everywhere it is shown: a branch named like a script or a spreadsheet
formula shows as those characters in every HTML page, in the PDFs and in the Excel files."""

import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from tests.pdf import text as pdf_text
from tests.security.test_csp import VIEWERS
from tests.test_access import MATRIX, _with_pledges

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
FORMULA = '=HYPERLINK("http://x","y")'


def _rename(world):
    """Branch A (which registers and signs) and branch B get hostile names, before anything is
    signed, so the signed documents carry them too."""
    world.branch_a.name = SCRIPT
    world.branch_a.save()
    world.branch_b.name = FORMULA
    world.branch_b.save()


def test_hostile_names_are_escaped_in_every_page(world, plan, login, client):
    _rename(world)
    _with_pledges(world, plan)
    shown_on = []
    for name, (method, args, expected) in MATRIX.items():
        role = next((r for r in VIEWERS if expected[r] == 200), None)
        if method != "get" or role is None:
            continue
        client.logout()
        response = login(world.users[role]).get(reverse(name, args=args(world)))
        if not response["Content-Type"].startswith("text/html"):
            continue
        body = response.content.decode()
        assert SCRIPT not in body, name
        if SCRIPT_ESCAPED in body:
            shown_on.append(name)
    # The name is really on the pages (escaped), not merely absent.
    assert {
        "branches:organization_list",
        "branches:organization_detail",
        "pledges:registration_list",
        "pledges:pledge_detail",
        "reports:review_detail",
        "reports:summary",
    } <= set(shown_on)


def test_hostile_names_are_text_in_pdfs(world, plan, login):
    _rename(world)
    _with_pledges(world, plan)
    client = login(world.users["staff"])
    documents = {
        "registration list": reverse("pledges:registration_export", args=[plan.pk, "pdf"]),
        "signed pledge": reverse("pledges:pledge_pdf", args=[world.signed.pk]),
        "self-assessment": reverse(
            "reports:review_document", args=[world.review.pk, "self", "pdf"]
        ),
    }
    for label, url in documents.items():
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf", label
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert SCRIPT in pdf_text(content), label
    registrations = client.get(documents["registration list"]).content
    assert FORMULA in pdf_text(registrations)


def _workbook_cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_hostile_names_are_text_not_formulas_in_excel(world, plan, login):
    _rename(world)
    _with_pledges(world, plan)
    client = login(world.users["staff"])
    files = {
        "registration list": reverse("pledges:registration_export", args=[plan.pk, "xlsx"]),
        "summary": reverse("reports:summary_export", args=[plan.pk, "xlsx"]),
    }
    for label, url in files.items():
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cells = {cell.value: cell for cell in _workbook_cells(content) if cell.value}
        hostile = [value for value in cells if isinstance(value, str) and "alert(1)" in value]
        assert hostile, f"{label}: the branch name is missing"
        for value in hostile:
            assert cells[value].data_type == "s", label
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    registrations = client.get(files["registration list"]).content
    formula = next(c for c in _workbook_cells(registrations) if c.value == FORMULA)
    assert formula.data_type == "s"  # stored as text: Excel shows it, never evaluates it
