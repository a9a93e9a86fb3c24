"""Sign → the PDF verifies; change one byte, append, re-seal elsewhere, cut or forge → it does not."""

import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from partydocs.verification import verify_pdf
from pledges import services
from pledges.documents import pledge_pdf
from pledges.models import Pledge


@pytest.fixture
def signed(world, live_plan, login, sign_data):
    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    pledge = registration.pledges.get()
    client = login(world.users["secretary_own"])
    client.post(
        reverse("pledges:pledge_sign", args=[pledge.pk]),
        sign_data(client, pledge),
        REMOTE_ADDR="10.9.8.7",
        HTTP_USER_AGENT="Secret Browser 1.0",
    )
    return Pledge.objects.get(pk=pledge.pk)


@pytest.fixture
def pdf(signed, world):
    return pledge_pdf(signed, viewer=world.users["secretary_own"]).content


def test_the_signed_pdf_verifies(pdf, signed):
    result = verify_pdf(pdf)
    assert result.ok, result.message
    assert result.signature == signed.signatures.get()


def test_downloads_are_the_same_sealed_file(pdf, signed, world):
    assert pledge_pdf(Pledge.objects.get(pk=signed.pk), viewer=world.users["staff"]).content == pdf


def test_one_changed_byte_fails(pdf):
    # A byte of the page content (inside the signed range, outside the signature itself).
    position = pdf.index(b"stream", 2000) + 40
    tampered = bytearray(pdf)
    tampered[position] ^= 0x01
    result = verify_pdf(bytes(tampered))
    assert not result.ok and result.reason in {"digest_mismatch", "unreadable"}
    assert result.message


def test_every_byte_position_sampled_fails(pdf):
    """Not only one lucky position: a change anywhere outside the signature hole is caught."""
    hole_start = pdf.index(b"/Contents <") + len(b"/Contents ")
    hole_end = pdf.index(b">", hole_start) + 1
    positions = [
        p for p in range(0, len(pdf), max(1, len(pdf) // 40)) if not hole_start <= p < hole_end
    ]
    for position in positions:
        tampered = bytearray(pdf)
        tampered[position] = (tampered[position] + 1) % 256
        assert not verify_pdf(bytes(tampered)).ok, position


def test_a_change_inside_the_signature_hole_fails(pdf):
    hole_start = pdf.index(b"/Contents <") + len(b"/Contents <")
    tampered = bytearray(pdf)
    end = pdf.index(b">", hole_start)
    tampered[end - 2 : end] = b"41"  # padding zeros replaced
    assert not verify_pdf(bytes(tampered)).ok


def test_an_appended_update_fails(pdf):
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.set_info(
        generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("Đã sửa")})
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    result = verify_pdf(buffer.getvalue())
    assert not result.ok and result.reason == "modified_after_signing"


def test_a_pdf_sealed_with_another_certificate_is_not_ours(signed, tmp_path, settings):
    """Someone with their own self-signed certificate (even named like ours) cannot pass a
    document off as one of this system's."""
    from partydocs import sealing

    other_key, other_cert = tmp_path / "k.pem", tmp_path / "c.pem"
    sealing.create_self_signed(
        common_name="Bốn Tốt — niêm phong văn bản (tự ký)",
        organization="Bốn Tốt (demo)",
        key_path=other_key,
        cert_path=other_cert,
        password=None,
    )
    trusted = (settings.BONTOT_SEAL_KEY, settings.BONTOT_SEAL_CERT)
    settings.BONTOT_SEAL_KEY, settings.BONTOT_SEAL_CERT = other_key, other_cert
    signature = signed.signatures.get()
    forged = sealing.seal(
        _unsigned_pdf(),
        reason="x",
        location="y",
        metadata={"code": signature.code, "content_hash": signature.content_hash},
    )
    settings.BONTOT_SEAL_KEY, settings.BONTOT_SEAL_CERT = trusted
    result = verify_pdf(forged)
    assert not result.ok and result.reason == "untrusted"


def _unsigned_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>ĐẢNG CỘNG SẢN VIỆT NAM</p>").write_pdf()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not_pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "not_pdf"),
        (b"%PDF-1.7\nrandom bytes %%EOF", "unreadable"),
    ],
)
def test_random_files_are_refused_with_a_reason(data, reason):
    result = verify_pdf(data)
    assert not result.ok and result.reason == reason


def test_a_truncated_pdf_fails(pdf):
    assert verify_pdf(pdf[: len(pdf) // 2]).reason == "truncated"


def test_an_unsigned_pdf_fails():
    assert verify_pdf(_unsigned_pdf()).reason == "no_signature"


def test_the_upload_page(client, pdf, db):
    upload = io.BytesIO(pdf)
    upload.name = "cam-ket.pdf"
    page = client.post(reverse("partydocs:verify_upload"), {"file": upload}).content.decode()
    assert "Tệp hợp lệ." in page and "chưa bị sửa đổi" in page
    bad = io.BytesIO(pdf[:-300])
    bad.name = "cam-ket.pdf"
    page = client.post(reverse("partydocs:verify_upload"), {"file": bad}).content.decode()
    assert "Tệp không hợp lệ." in page


def test_the_public_page_shows_nothing_private(client, signed):
    signature = signed.signatures.get()
    page = client.get(reverse("partydocs:verify", args=[signature.code])).content.decode()
    assert "Chi bộ thôn Phú Lộc" in page and "Phạm Văn Tài" in page and "Bí thư chi bộ" in page
    assert signature.content_hash in page and "Văn bản hợp lệ" in page
    for private in [
        "10.9.8.7",
        "Secret Browser",
        "Mật khẩu",
        "12 kỳ",
        signed.targets.first().note or "§",
    ]:
        assert private not in page


def test_a_forged_code_gets_404(client, db):
    response = client.get(reverse("partydocs:verify", args=["khong-co-ma-nay"]))
    assert response.status_code == 404
    assert "Không tìm thấy văn bản nào có mã xác minh này" in response.content.decode()


def test_status_follows_the_pledge(world, signed, client):
    signature = signed.signatures.get()
    services.pledge_return(actor=world.users["leader"], pledge=signed, reason="Sửa lại")
    assert (
        "trả lại để sửa"
        in client.get(reverse("partydocs:verify", args=[signature.code])).content.decode()
    )
    services.registration_withdraw(
        actor=world.users["staff"], registration=signed.registration, reason="Sáp nhập thôn"
    )
    assert (
        "đã rút đăng ký"
        in client.get(reverse("partydocs:verify", args=[signature.code])).content.decode()
    )


def test_a_seal_made_outside_the_certificate_validity_is_not_trusted(signed, tmp_path, settings):
    """A certificate whose validity ended before the seal was made does not vouch for it."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from partydocs import sealing

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hết hạn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=30))
        .not_valid_after(now - datetime.timedelta(days=1))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = tmp_path / "k.pem", tmp_path / "c.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    signature = signed.signatures.get()
    settings.BONTOT_SEAL_KEY, settings.BONTOT_SEAL_CERT = key_path, cert_path
    sealed = sealing.seal(
        _unsigned_pdf(),
        reason="x",
        location="y",
        metadata={"code": signature.code, "content_hash": signature.content_hash},
    )
    assert verify_pdf(sealed).reason == "untrusted"
