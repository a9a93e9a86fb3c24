"""The PAdES seal on signed documents (pyHanko), with the deployment's certificate.

Each deployment configures a key and certificate (BONTOT_SEAL_KEY, BONTOT_SEAL_CERT); a real one
from a Vietnamese certification authority, or for demo and tests a self-signed one made by
`manage.py create_seal_certificate`. Any PDF reader then shows whether a sealed file was
changed; `partydocs.verification` checks the same thing for uploaded files.
"""

import datetime
import functools
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

# id-kp-documentSigning (RFC 9336): the purpose of a document-sealing certificate.
EKU_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
# Keys written to the PDF's /Info in the signed revision, so the seal covers them.
CODE_KEY = "BonTotCode"
HASH_KEY = "BonTotContentHash"


def create_self_signed(
    *,
    common_name: str,
    organization: str,
    key_path: Path,
    cert_path: Path,
    password: bytes | None,
    valid_days: int = 3650,
) -> None:
    """An EC P-256 key and a self-signed certificate for sealing (digitalSignature,
    nonRepudiation, documentSigning), written as PEM; the key encrypted when a password is given."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    subject_key = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([EKU_DOCUMENT_SIGNING]), critical=False)
        .add_extension(subject_key, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(subject_key),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


@functools.cache
def _signer(key_path: str, cert_path: str, password: str, _mtime: float):
    if not Path(key_path).exists() or not Path(cert_path).exists():
        raise ImproperlyConfigured(
            f"No sealing certificate at {cert_path}: run `manage.py create_seal_certificate` (demo) "
            "or set BONTOT_SEAL_KEY and BONTOT_SEAL_CERT (docs/deploy.md)."
        )
    signer = signers.SimpleSigner.load(
        key_file=key_path, cert_file=cert_path, key_passphrase=password.encode() or None
    )
    if signer is None:  # pyHanko logs and returns None on a bad key or password
        raise ImproperlyConfigured(f"Could not load the sealing key {key_path} (wrong password?).")
    return signer


def signer():
    key, cert = str(settings.BONTOT_SEAL_KEY), str(settings.BONTOT_SEAL_CERT)
    mtime = Path(cert).stat().st_mtime if Path(cert).exists() else 0.0
    return _signer(key, cert, settings.BONTOT_SEAL_KEY_PASSWORD, mtime)


def trusted_certificates() -> list[bytes]:
    """PEM of the certificate in use and of earlier ones (after a rotation), for verification."""
    paths = [
        Path(settings.BONTOT_SEAL_CERT),
        *(Path(p) for p in settings.BONTOT_SEAL_TRUSTED_CERTS),
    ]
    return [path.read_bytes() for path in paths if path.exists()]


def seal(pdf: bytes, *, reason: str, location: str, metadata: dict[str, str]) -> bytes:
    """Seal a PDF: PAdES baseline B-B (ETSI.CAdES.detached), SHA-256, a certification signature
    that allows no later change. `metadata` (code, content hash) goes into /Info in the same
    revision, so the seal covers it."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    info = (
        info_ref.get_object()
        if isinstance(info_ref, generic.IndirectObject)
        else generic.DictionaryObject()
    )
    entries = {CODE_KEY: metadata["code"], HASH_KEY: metadata["content_hash"]}
    for key, value in entries.items():
        info[generic.NameObject("/" + key)] = generic.TextStringObject(value)
    if isinstance(info_ref, generic.IndirectObject):
        writer.mark_update(info_ref)
    else:
        writer.set_info(info)
    signature_meta = signers.PdfSignatureMetadata(
        field_name="Sig_BonTot",
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    return signers.sign_pdf(writer, signature_meta, signer=signer()).getvalue()


def sealed_document(key: str, render, *, reason: str, location: str, signature) -> bytes:
    """The sealed PDF of a signed document, made once and kept under `key` (every download of it
    is then the same file): `render()` gives the unsealed PDF, sealed here with the signature's
    code and content hash."""
    stored = f"sealed/{key}-{signature.code}.pdf"
    if default_storage.exists(stored):
        with default_storage.open(stored, "rb") as handle:
            return handle.read()
    sealed = seal(
        render(),
        reason=reason,
        location=location,
        metadata={"code": signature.code, "content_hash": signature.content_hash},
    )
    if not default_storage.exists(stored):
        default_storage.save(stored, ContentFile(sealed))
    return sealed
