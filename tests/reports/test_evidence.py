"""Evidence: checked by content, size-limited, hashed, private, and frozen after submission."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from criteria.models import Indicator
from reports.meetings.models import Evidence
from reports.meetings.services import evidence_add, evidence_delete


@pytest.fixture
def indicator(live_plan):
    return Indicator.objects.filter(criterion__plan=live_plan, evidence_required=True).first()


def test_a_pdf_upload_is_hashed_and_served_only_to_insiders(
    world, signed_registration, indicator, pdf_upload, login
):
    upload = pdf_upload("nghi-quyet.pdf")
    data = upload.read()
    upload.seek(0)
    client = login(world.users["secretary_own"])
    response = client.post(
        reverse("reports:evidence_list", args=[signed_registration.pk]),
        {
            "indicator": indicator.pk,
            "year": signed_registration.plan.start_year,
            "file": upload,
            "note": "",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.content_type == "application/pdf" and evidence.original_name == "nghi-quyet.pdf"
    assert (
        "nghi-quyet" not in evidence.file.name
    )  # stored under a random name, outside the web root
    download = client.get(reverse("reports:evidence_file", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    assert download["X-Content-Type-Options"] == "nosniff"
    assert (
        login(world.users["secretary_other"])
        .get(reverse("reports:evidence_file", args=[evidence.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "minh-chung.pdf",
            b"MZ\x90\x00" + b"\x00" * 400,
            "không phải loại được nhận",
        ),  # a renamed executable
        ("anh.jpg", b"#!/bin/sh\nrm -rf /\n", "không phải loại được nhận"),
        ("bao-cao.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, "định dạng Office cũ"),
    ],
)
def test_wrong_types_are_refused_by_content(
    world, signed_registration, indicator, name, data, message
):
    with pytest.raises(ValidationError) as error:
        evidence_add(
            actor=world.users["secretary_own"],
            registration=signed_registration,
            indicator=indicator,
            year=signed_registration.plan.start_year,
            file=SimpleUploadedFile(name, data),
        )
    assert message in str(error.value)
    assert not Evidence.objects.exists()


def test_a_plain_zip_is_not_an_office_document(world, signed_registration, indicator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(ValidationError):
        evidence_add(
            actor=world.users["secretary_own"],
            registration=signed_registration,
            indicator=indicator,
            year=signed_registration.plan.start_year,
            file=SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue()),
        )


def test_office_documents_and_images_are_accepted(world, signed_registration, indicator):
    from openpyxl import Workbook
    from PIL import Image

    workbook = Workbook()
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    png = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(png, format="PNG")
    for name, data, expected in [
        ("bang.xlsx", xlsx.getvalue(), "spreadsheetml"),
        ("anh-chup.png", png.getvalue(), "image/png"),
    ]:
        evidence = evidence_add(
            actor=world.users["secretary_own"],
            registration=signed_registration,
            indicator=indicator,
            year=signed_registration.plan.start_year,
            file=SimpleUploadedFile(name, data),
        )
        assert expected in evidence.content_type


def test_too_large_is_refused(world, signed_registration, indicator, settings, pdf_upload):
    settings.BONTOT_UPLOAD_MAX_MB = 0
    with pytest.raises(ValidationError) as error:
        evidence_add(
            actor=world.users["secretary_own"],
            registration=signed_registration,
            indicator=indicator,
            year=signed_registration.plan.start_year,
            file=pdf_upload(),
        )
    assert "quá giới hạn 0 MB" in str(error.value)


def test_a_note_without_a_file_is_evidence_too(world, signed_registration, indicator):
    evidence = evidence_add(
        actor=world.users["secretary_own"],
        registration=signed_registration,
        indicator=indicator,
        year=signed_registration.plan.start_year,
        note="Sổ nghị quyết trang 12",
    )
    assert evidence.note == "Sổ nghị quyết trang 12"
    with pytest.raises(ValidationError):
        evidence_add(
            actor=world.users["secretary_own"],
            registration=signed_registration,
            indicator=indicator,
            year=signed_registration.plan.start_year,
        )


def test_evidence_is_frozen_once_the_review_using_it_is_submitted(
    world, signed_registration, indicator
):
    from tests.reports.helpers import fill_and_submit

    evidence = evidence_add(
        actor=world.users["secretary_own"],
        registration=signed_registration,
        indicator=indicator,
        year=signed_registration.plan.start_year,
        note="Biên bản",
    )
    fill_and_submit(world, signed_registration)
    with pytest.raises(ValidationError) as error:
        evidence_delete(actor=world.users["secretary_own"], evidence=evidence)
    assert "không xóa được" in str(error.value)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_added_counts_in_the_open_self_assessment_without_ticking(
    world, signed_registration, indicator
):
    from tests.reports.helpers import open_review

    review = open_review(world, signed_registration)
    item = evidence_add(
        actor=world.users["secretary_own"],
        registration=signed_registration,
        indicator=indicator,
        year=review.year,
        note="Biên bản hội nghị",
    )
    assert list(review.scores.get(indicator=indicator).evidence.all()) == [item]
