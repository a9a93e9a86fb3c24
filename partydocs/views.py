"""Public verification: what a verification code stands for, and whether an uploaded PDF is an
unaltered signed document of this system. Nobody needs to log in."""

import re

from django.shortcuts import render
from django.utils.translation import gettext as _

from partydocs.forms import VerifyUploadForm
from partydocs.models import Signature
from partydocs.verification import MAX_UPLOAD_BYTES, verify_pdf
from web.forms import bound
from web.ratelimits import limit_verify_upload

CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def verify(request, code):
    """Public: what a verification code stands for — kind, organization, signer, time, hash,
    status. Nothing more."""
    # A code is what new_verification_code makes (URL-safe base64); anything else — a NUL byte,
    # which PostgreSQL refuses in text, a path, a quote — is not looked up at all.
    signature = Signature.objects.filter(code=code).first() if CODE.fullmatch(code) else None
    if signature is None:
        return render(
            request,
            "partydocs/verify.html",
            {"not_found": True, "code": code, "form": VerifyUploadForm()},
            status=404,
        )
    document = signature.document
    return render(
        request,
        "partydocs/verify.html",
        {
            "signature": signature,
            # The signatures given at the same time as this one (a resubmission has its own code).
            "signatures": [
                s
                for s in document.signatures.order_by("signed_at")
                if s.sequence == signature.sequence
            ],
            "document_label": document.verification_label(),
            "organization": document.verification_organization(),
            "status": document.verification_status(signature),
            "form": VerifyUploadForm(),
        },
    )


@limit_verify_upload
def verify_upload(request):
    """Public: upload a PDF and learn whether it is an unaltered signed document of this system."""
    form = VerifyUploadForm(*bound(request, files=True))
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error(
                "file",
                _("Tệp quá lớn để kiểm tra (tối đa %(mb)s MB).")
                % {"mb": MAX_UPLOAD_BYTES // 1_000_000},
            )
        else:
            result = verify_pdf(upload.read())
    return render(
        request, "partydocs/verify.html", {"form": form, "result": result, "upload_page": True}
    )
