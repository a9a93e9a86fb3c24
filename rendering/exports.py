"""A list as a file (Excel or PDF): written at once when it is small, by the task worker when it
is large.

Each list that can be downloaded has one builder, in the app that owns the list: it takes the
person who asks, the query of the page (its filters and scope) and the format, and returns an
`Export` — how many rows, and how to write them. The page's view answers with `export_response`;
above `BONTOT_BACKGROUND_ROWS` rows that sends the person to the background download
(`reports:export`), whose job calls the same builder again in the worker's child process, under
the limits of large documents (reports.summaries.tasks). One builder, so the file made at once and
the file made in the background cannot differ.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from rendering.downloads import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE, attachment

CONTENT_TYPES = {"pdf": PDF_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


@dataclass(frozen=True)
class Export:
    """One list in one format: what the builder found, and how to write it."""

    kind: str  # the builder's name in reports.summaries.exports.BUILDERS
    fmt: str  # "xlsx" or "pdf"
    rows: int  # how many rows the file will hold (what decides at once or in the background)
    title: str  # the background job's title, shown on its progress page
    filename: str
    query: QueryDict  # everything the builder needs to build it again (filters, plan, year …)
    write: Callable[[], bytes]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]

    @property
    def background(self) -> bool:
        return self.rows > settings.BONTOT_BACKGROUND_ROWS


def export_query(query: QueryDict, **extra) -> QueryDict:
    """The page's query without its `format` and `page`, with what the builder needs added."""
    result = query.copy()
    for name in ("format", "page"):
        result.pop(name, None)
    for name, value in extra.items():
        result[name] = str(value)
    return result


def export_response(export: Export):
    """The file at once, or — for a large list — a redirect to its background download."""
    if export.background:
        url = reverse("reports:export", args=[export.kind, export.fmt])
        return redirect(f"{url}?{export.query.urlencode()}")
    return attachment(export.write(), filename=export.filename, content_type=export.content_type)
