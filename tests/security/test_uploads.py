"""Uploads are judged by their content, through the pages people use: a real executable or a
page with a script, renamed to look like a document or a picture, is refused and not stored."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from criteria.models import Indicator
from reports.meetings.models import Evidence

EXECUTABLE = Path("/bin/true").read_bytes()  # a real ELF program
DISGUISED = [
    ("minh-chung.pdf", EXECUTABLE),
    ("anh-hoat-dong.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 600),  # a Windows program
    ("anh.png", b"<html><script>alert(1)</script></html>"),
    ("so-do.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
]


def _stored_files():
    root = Path(django_settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.parametrize(("name", "data"), DISGUISED, ids=[n for n, _d in DISGUISED])
def test_disguised_evidence_is_refused_by_content(
    world, signed_registration, login, name, data, settings, tmp_path
):
    # A media folder of this test's own: the suite's is shared by every parallel worker, whose
    # sealed PDFs and evidence land there while this test counts files.
    settings.MEDIA_ROOT = tmp_path
    indicator = Indicator.objects.filter(
        criterion__plan=signed_registration.plan, evidence_required=True
    ).first()
    before = _stored_files()
    response = login(world.users["secretary_own"]).post(
        reverse("reports:evidence_list", args=[signed_registration.pk]),
        {
            "indicator": indicator.pk,
            "year": signed_registration.plan.start_year,
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "không phải loại được nhận" in response.content.decode()
    assert not Evidence.objects.exists()
    assert _stored_files() == before


def test_a_renamed_executable_is_not_a_signed_pdf_either(client, db):
    response = client.post(
        reverse("partydocs:verify_upload"),
        {"file": SimpleUploadedFile("cam-ket.pdf", EXECUTABLE, content_type="application/pdf")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tệp không hợp lệ." in body and "Tệp hợp lệ." not in body
