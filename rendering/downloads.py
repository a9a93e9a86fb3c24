"""Download responses: generated files (PDF, Excel, Word) and private uploads, whose file names
keep their Vietnamese letters (RFC 6266). Uploads are served only through a scoped view, never
from a public URL."""

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback name and the real (Vietnamese) name."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "tep"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def private_file(
    field_file, *, filename: str, content_type: str = "application/octet-stream"
) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def attachment(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A download response whose file name keeps its Vietnamese letters (RFC 6266)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def xlsx_response(data: bytes, *, filename: str) -> HttpResponse:
    return attachment(data, filename=filename, content_type=XLSX_CONTENT_TYPE)
