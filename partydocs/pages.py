"""The signing page, written once for the documents signed since it was made (members'
self-reviews, collectives' reports): the exact document in a frame, the evidence form, the signing
act, and a refusal shown on the form with what was typed kept."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from partydocs.forms import SignForm, signer_from
from partydocs.models import Signature
from partydocs.signing import Evidence, canonical_json, content_hash
from web.forms import bound, form_errors_from


def signing_page(
    request,
    *,
    content: dict,
    sign: Callable[..., Signature],
    done: str,
    success_url: str,
    page: dict,
):
    """Show `content` (through `page["preview_url"]`) and sign it: `sign(signer=, evidence=,
    seen_hash=)` is the document's service; `done` a message with `%(code)s`; `page` the title,
    subtitle, action, back and preview addresses and the button's text."""
    seen_hash = content_hash(canonical_json(content))
    form = SignForm(*bound(request), initial={"content_hash": seen_hash})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signature = sign(
                signer=signer_from(request, data),
                evidence=Evidence.from_request(request),
                seen_hash=data["content_hash"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, done % {"code": signature.code})
            return redirect(success_url)
    return render(request, "includes/sign.html", {"form": form, "content_hash": seen_hash, **page})
