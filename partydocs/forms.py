"""The signing form (the evidence a signature rests on) and the verification upload."""

import base64
import binascii
import io

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from partydocs.signing import Signer

MAX_DRAWING_BYTES = 300_000
MAX_WIDTH, MAX_HEIGHT = 1600, 800  # the signing canvas is smaller


class SignForm(forms.Form):
    """The evidence a signature rests on. Checks that need the account (password, name) run in the
    service, so every refusal reads the same from the page, a script or a test."""

    full_name = forms.CharField(
        label=_("Gõ họ và tên của đồng chí"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    consent = forms.BooleanField(
        label=_("Tôi đã đọc toàn bộ nội dung trên và đồng ý ký."), required=False
    )
    drawing = forms.CharField(required=False, widget=forms.HiddenInput)
    content_hash = forms.CharField(widget=forms.HiddenInput)

    def clean_drawing(self) -> bytes | None:
        """A hand-drawn signature, sent by the canvas as a PNG data URL (optional)."""
        value = self.cleaned_data["drawing"].strip()
        if not value:
            return None
        prefix = "data:image/png;base64,"
        if not value.startswith(prefix):
            raise forms.ValidationError(_("Hình chữ ký không hợp lệ."))
        try:
            data = base64.b64decode(value[len(prefix) :], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError(_("Hình chữ ký không hợp lệ.")) from error
        if len(data) > MAX_DRAWING_BYTES:
            raise forms.ValidationError(_("Hình chữ ký quá lớn."))
        try:
            # The size is read from the header before any pixel is decoded: a drawing larger than
            # the canvas is refused before it can take the memory of a huge image.
            image = Image.open(io.BytesIO(data), formats=["PNG"])
            if image.width > MAX_WIDTH or image.height > MAX_HEIGHT:
                raise forms.ValidationError(_("Hình chữ ký không hợp lệ."))
            image.verify()
            image = Image.open(io.BytesIO(data), formats=["PNG"])
            image.load()
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
        ) as error:
            raise forms.ValidationError(_("Hình chữ ký không hợp lệ.")) from error
        # Re-encode: only pixels are kept, never whatever else the file carried.
        clean = io.BytesIO()
        image.convert("RGBA").save(clean, format="PNG", optimize=True)
        return clean.getvalue()


def signer_from(request, data: dict) -> Signer:
    """The signer of a valid SignForm: the logged-in user and the proof they typed."""
    return Signer(
        user=request.user,
        password=data["password"],
        full_name=data["full_name"],
        consent=data["consent"],
        drawing=data.get("drawing"),
    )


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF cần kiểm tra"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
