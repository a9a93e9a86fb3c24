"""The pledge form keeps what was typed, the drawn signature reaches the PDF, the signer block and
fonts of the sealed PDF, the superseded status, and the sealing-certificate command."""

import base64
import datetime
import io
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
import segno
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfReader

from partydocs.models import Signature
from partydocs.verification import verify_pdf, verify_url
from pledges import services
from pledges.documents import pledge_pdf
from pledges.models import Pledge, PledgeCommitment
from tests.pdf import fonts, text


@pytest.fixture
def draft(world, live_plan):
    return services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    ).pledges.get()


def _drawing() -> str:
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(20, 150), (200, 40), (380, 160), (580, 30)], fill="black", width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _form_data(page) -> dict:
    form = page.context["form"]
    data = {
        name: ("" if field.initial is None else field.initial)
        for name, field in form.fields.items()
    }
    return {k: ("1" if v is True else v) for k, v in data.items()}


def test_a_validation_error_never_loses_what_was_typed(world, draft, login):
    client = login(world.users["secretary_own"])
    url = reverse("pledges:pledge_edit", args=[draft.pk])
    page = client.get(url)
    data = _form_data(page)
    percent = next(
        i
        for g in page.context["form"].groups
        for i, _t, _n in g["rows"]
        if i.target_kind == "percent"
    )
    number = next(
        i
        for g in page.context["form"].groups
        for i, _t, _n in g["rows"]
        if i.target_kind == "number"
    )
    criterion = page.context["form"].groups[0]["criterion"]
    data[f"target_{percent.pk}"] = "150"  # above 100%
    data[f"target_{number.pk}"] = "11"
    data[f"note_{number.pk}"] = "Tháng 2 nghỉ Tết, bù vào tháng 3"
    data[f"commitment_{criterion.pk}"] = "Hoàn thành 100% chỉ tiêu nghị quyết của thôn."
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"target_{percent.pk}"]
    html = response.content.decode()
    assert 'value="150"' in html and 'value="11"' in html
    assert "Tháng 2 nghỉ Tết, bù vào tháng 3" in html
    assert "Hoàn thành 100% chỉ tiêu nghị quyết của thôn." in html
    # Nothing was saved.
    target = draft.targets.get(indicator=number)
    assert target.value_number == number.default_target and target.note == ""
    assert not PledgeCommitment.objects.filter(pledge=draft).exclude(text="").exists()


def test_a_drawn_signature_appears_on_the_sealed_pdf(world, draft, login, sign_data):
    client = login(world.users["secretary_own"])
    response = client.post(
        reverse("pledges:pledge_sign", args=[draft.pk]),
        sign_data(client, draft, drawing=_drawing()),
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.drawing and "chữ ký vẽ tay" in signature.method
    content = pledge_pdf(Pledge.objects.get(pk=draft.pk), viewer=world.users["staff"]).content
    images = {  # one image object (pypdf may list it once per resource dictionary using it)
        image.indirect_reference.idnum: image
        for page in PdfReader(io.BytesIO(content)).pages
        for image in page.images
    }
    images = list(images.values())
    assert [(i.image.width, i.image.height) for i in images] == [(600, 200)]
    # The stroke is there: dark pixels on a light background.
    drawn = images[0].image.convert("L")
    darkest, lightest = drawn.getextrema()
    assert darkest < 80 and lightest > 200
    assert verify_pdf(content).ok


def test_without_a_drawing_the_pdf_prints_the_name_and_has_no_image(world, draft, login, sign_data):
    client = login(world.users["secretary_own"])
    client.post(reverse("pledges:pledge_sign", args=[draft.pk]), sign_data(client, draft))
    content = pledge_pdf(Pledge.objects.get(pk=draft.pk), viewer=world.users["staff"]).content
    assert [i for page in PdfReader(io.BytesIO(content)).pages for i in page.images] == []
    body = text(content)
    # The name once, under the electronic-signature mark (issue 18: not printed twice).
    assert body.count("Phạm Văn Tài") == 1 and "T/M CHI BỘ BÍ THƯ Đã ký điện tử" in body


def test_a_bad_drawing_is_refused_and_nothing_is_signed(world, draft, login, sign_data):
    client = login(world.users["secretary_own"])
    response = client.post(
        reverse("pledges:pledge_sign", args=[draft.pk]),
        sign_data(client, draft, drawing="data:image/png;base64,bm90IGFuIGltYWdl"),
    )
    assert response.status_code == 200
    assert "Hình chữ ký không hợp lệ." in response.context["form"].errors["drawing"]
    assert not Signature.objects.exists()


def test_the_signer_block_shows_position_name_and_server_time(world, draft, login, sign_data):
    client = login(world.users["secretary_own"])
    client.post(reverse("pledges:pledge_sign", args=[draft.pk]), sign_data(client, draft))
    signature = Signature.objects.get()
    body = text(pledge_pdf(Pledge.objects.get(pk=draft.pk), viewer=world.users["staff"]).content)
    signed_at = timezone.localtime(signature.signed_at)
    assert "T/M CHI BỘ" in body and "BÍ THƯ" in body
    assert f"Đã ký điện tử {signed_at:%H:%M, %d/%m/%Y}" in body
    assert body.count("Phạm Văn Tài") == 1  # the name once (issue 18)
    assert f"Mã xác minh: {signature.code}" in body
    assert f"/verify/{signature.code}" in body
    assert signature.content_hash in body.replace(" ", "")


def _qr_grids(page: Image.Image, size: int):
    """Every size × size module grid drawn on the page, located by the top row of its two upper
    finder patterns: two dark runs of 7 modules, size − 7 modules apart."""
    ink = page.convert("L").point(lambda v: 255 if v < 128 else 0)
    data, (width, height) = ink.tobytes(), ink.size
    pixels = ink.load()
    for y in range(height):
        row = data[y * width : (y + 1) * width]
        runs = [(m.start(), m.end() - m.start()) for m in re.finditer(rb"\xff+", row)]
        for n, (left, length) in enumerate(runs):
            module = length / 7
            if module < 2:
                continue
            for right, other in runs[n + 1 :]:
                if abs(other - length) <= 2 and abs(right - left - (size - 7) * module) <= 3:
                    step = (right + other - left) / size
                    if y + size * step <= height:
                        yield [
                            [
                                pixels[int(left + (c + 0.5) * step), int(y + (r + 0.5) * step)] > 0
                                for c in range(size)
                            ]
                            for r in range(size)
                        ]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_the_qr_code_on_the_pdf_links_to_the_verification_page(
    world, draft, login, sign_data, client
):
    secretary = login(world.users["secretary_own"])
    secretary.post(reverse("pledges:pledge_sign", args=[draft.pk]), sign_data(secretary, draft))
    signature = Signature.objects.get()
    content = pledge_pdf(Pledge.objects.get(pk=draft.pk), viewer=world.users["staff"]).content
    url = verify_url(signature.code)
    expected = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
    other_url = url[:-1] + ("A" if url[-1] != "A" else "B")  # same length, another code
    forged = [[bool(v) for v in row] for row in segno.make(other_url, error="m").matrix]
    grids = []
    for number in range(1, len(PdfReader(io.BytesIO(content)).pages) + 1):
        png = subprocess.run(
            ["pdftoppm", "-r", "300", "-gray", "-png", "-f", str(number), "-l", str(number), "-"],
            input=content,
            capture_output=True,
            check=True,
        ).stdout
        grids += _qr_grids(Image.open(io.BytesIO(png)), len(expected))
    assert expected in grids and forged not in grids
    # The link opens the public page of this very signature.
    client.logout()
    page = client.get(urlsplit(url).path)
    assert page.status_code == 200 and signature.content_hash in page.content.decode()


def test_every_font_of_the_sealed_pledge_is_the_embedded_serif(world, draft, login, sign_data):
    client = login(world.users["secretary_own"])
    client.post(reverse("pledges:pledge_sign", args=[draft.pk]), sign_data(client, draft))
    used = fonts(pledge_pdf(Pledge.objects.get(pk=draft.pk), viewer=world.users["staff"]).content)
    assert used and all(used.values()), used
    assert all("Tinos" in name for name in used), used  # no system font slips in


def test_verification_says_superseded_once_an_amendment_is_signed(
    world, draft, login, sign_data, client
):
    secretary = login(world.users["secretary_own"])
    secretary.post(reverse("pledges:pledge_sign", args=[draft.pk]), sign_data(secretary, draft))
    first = Signature.objects.get()
    amended = services.pledge_amend(actor=world.users["secretary_own"], pledge=draft)
    secretary.post(reverse("pledges:pledge_sign", args=[amended.pk]), sign_data(secretary, amended))
    assert Pledge.objects.get(pk=draft.pk).status == Pledge.Status.SUPERSEDED
    client.logout()
    page = client.get(reverse("partydocs:verify", args=[first.code])).content.decode()
    assert "đã được thay bằng một bản sửa đổi" in page
    newest = amended.signatures.get()
    page = client.get(reverse("partydocs:verify", args=[newest.code])).content.decode()
    assert "Văn bản hợp lệ" in page and "lần 2" in page


def test_the_seal_certificate_command(tmp_path, settings):
    from cryptography import x509

    key, cert = tmp_path / "seal" / "key.pem", tmp_path / "seal" / "cert.pem"
    out = io.StringIO()
    call_command("create_seal_certificate", "--key", str(key), "--cert", str(cert), stdout=out)
    assert key.exists() and cert.exists() and (key.stat().st_mode & 0o077) == 0
    certificate = x509.load_pem_x509_certificate(cert.read_bytes())
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert certificate.not_valid_after_utc > datetime.datetime.now(
        datetime.UTC
    ) + datetime.timedelta(days=365)
    before = cert.read_bytes()
    with pytest.raises(CommandError):
        call_command("create_seal_certificate", "--key", str(key), "--cert", str(cert))
    call_command("create_seal_certificate", "--key", str(key), "--cert", str(cert), "--if-missing")
    assert cert.read_bytes() == before  # an existing certificate is never replaced silently


def test_signed_commitments_cannot_be_changed_by_the_database_layer(world, draft, login, sign_data):
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the database-level refusal is a PostgreSQL trigger")
    criterion = draft.registration.plan.criteria.get(order=1)
    services.pledge_save(
        actor=world.users["secretary_own"],
        pledge=draft,
        targets={},
        commitments={criterion.pk: "Lãnh đạo hoàn thành 100% chỉ tiêu."},
    )
    client = login(world.users["secretary_own"])
    client.post(reverse("pledges:pledge_sign", args=[draft.pk]), sign_data(client, draft))
    assert Pledge.objects.get(pk=draft.pk).status == Pledge.Status.SIGNED
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeCommitment.objects.filter(pledge=draft).update(text="Đã sửa sau khi ký")
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeCommitment.objects.filter(pledge=draft).delete()
    assert PledgeCommitment.objects.get(pledge=draft).text == "Lãnh đạo hoàn thành 100% chỉ tiêu."
