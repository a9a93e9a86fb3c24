"""Import of organizations, members and terms from a file: template, upload with preview, confirm."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches import imports, terms
from branches.forms import (
    ImportForm,
)
from branches.imports import FileProblem
from branches.permissions import (
    Action,
    has_perm_anywhere,
)
from rendering.downloads import xlsx_response
from web.forms import bound

IMPORTERS = {**imports.IMPORTERS, "terms": terms.TermImporter}
_IMPORT_ACTIONS = {
    "organizations": Action.MANAGE_ORGANIZATIONS,
    "members": Action.MANAGE_MEMBERS,
    "terms": Action.MANAGE_ORGANIZATIONS,
}
_IMPORT_TITLES = {
    "organizations": gettext_lazy("Nhập tổ chức từ tệp"),
    "members": gettext_lazy("Nhập đảng viên từ tệp"),
    "terms": gettext_lazy("Nhập nhiệm kỳ từ tệp"),
}
_AFTER_IMPORT = {
    "organizations": "branches:organization_list",
    "members": "branches:member_list",
    "terms": "branches:organization_list",
}


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_import_kind(request, kind):
    if kind not in IMPORTERS:
        raise Http404
    if not has_perm_anywhere(request.user, _IMPORT_ACTIONS[kind]):
        raise PermissionDenied


@login_required
def import_template(request, kind):
    _check_import_kind(request, kind)
    data = IMPORTERS[kind](actor=request.user).template_bytes()
    return xlsx_response(data, filename=f"mau-nhap-{kind}.xlsx")


@login_required
def import_upload(request, kind):
    """Step 1: upload; the file is checked in full and shown as a preview, nothing is written."""
    _check_import_kind(request, kind)
    importer = IMPORTERS[kind](actor=request.user)
    form = ImportForm(*bound(request, files=True))
    preview = None
    token = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            preview = importer.validate(data)
        except FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            if preview.ok:
                token = secrets.token_urlsafe(16)
                (_import_dir() / token).write_bytes(data)
                request.session[f"import-{kind}"] = token
    return render(
        request,
        "branches/import.html",
        {
            "form": form,
            "preview": preview,
            "token": token,
            "kind": kind,
            "title": _IMPORT_TITLES[kind],
            "shown_rows": preview.rows[:200] if preview else [],
        },
    )


@require_POST
@login_required
def import_confirm(request, kind):
    """Step 2: the same file, checked again and written in one transaction (or not at all)."""
    _check_import_kind(request, kind)
    token = request.POST.get("token", "")
    if not token or request.session.get(f"import-{kind}") != token:
        messages.error(request, _("Phiên nhập tệp đã hết hạn; hãy tải tệp lên lại."))
        return redirect("branches:import", kind=kind)
    path = _import_dir() / token
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        messages.error(request, _("Phiên nhập tệp đã hết hạn; hãy tải tệp lên lại."))
        return redirect("branches:import", kind=kind)
    accounts = kind == "members" and request.POST.get("accounts") == "1"
    importer = (
        IMPORTERS[kind](actor=request.user, with_accounts=True)
        if accounts
        else IMPORTERS[kind](actor=request.user)
    )
    try:
        preview = importer.commit(data)
    except PermissionDenied:
        raise
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("branches:import", kind=kind)
    except FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("branches:import", kind=kind)
    if not preview.ok:
        # The data changed since the preview (someone else added a card number, say).
        form = ImportForm()
        messages.error(
            request,
            _("Dữ liệu đã thay đổi từ lúc xem trước; chưa ghi gì. Hãy xem các lỗi dưới đây."),
        )
        return render(
            request,
            "branches/import.html",
            {
                "form": form,
                "preview": preview,
                "kind": kind,
                "title": _IMPORT_TITLES[kind],
                "shown_rows": preview.rows[:200],
            },
        )
    path.unlink(missing_ok=True)
    del request.session[f"import-{kind}"]
    messages.success(request, _("Đã nhập %(count)s dòng.") % {"count": len(preview.rows)})
    if accounts:
        # The temporary passwords are shown on this one page, never again.
        return render(request, "branches/import_accounts.html", {"created": importer.accounts})
    return redirect(_AFTER_IMPORT[kind])
