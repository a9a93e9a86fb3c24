"""Serving private uploads: only through a scoped view, never from a public URL."""

from urllib.parse import quote

from django.http import FileResponse, Http404


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
    ascii_name = filename.encode("ascii", "ignore").decode() or "tep"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
