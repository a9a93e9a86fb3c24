"""Every page, found by following links (issue 21).

A crawl starts at a user's start pages and follows each link of the app's own pages, breadth
first, through the whole middleware stack (Django's test client, signed in as the user). Pages
are grouped by the view they resolve to — the URL pattern — and a few addresses of each
pattern are kept (`samples`), so a province of 12,000 branches is crawled in as many requests
as one of 50. Every response is recorded with its status, time, SQL queries and bytes.

The benchmark (manage.py benchmark_pages) times the kept addresses again at two sizes; the tests
(tests/test_every_page.py) crawl the demo and two synthetic provinces for the rules that do not
depend on the machine: no HTML page over the size limit, no picker with thousands of options,
queries that do not grow with the number of organizations.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

# Not followed: signing out, the language switch (a POST form anyway), the admin, files.
SKIP_PATHS = re.compile(r"^/(logout|i18n|admin|static|media)/")
HTML_LIMIT = 200 * 1024  # bytes: no HTML page over this at any size (issue 21)
DOCUMENT_TYPES = ("application/pdf", "application/vnd.", "application/zip", "text/csv")


@dataclass
class Visit:
    url: str
    pattern: str
    status: int
    seconds: float
    queries: int
    size: int
    content_type: str
    largest_select: int = 0  # options in the page's largest <select>

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def is_document(self) -> bool:
        return self.content_type.startswith(DOCUMENT_TYPES)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.selects: list[int] = []
        self._in_select = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        elif tag == "select":
            self.selects.append(0)
            self._in_select = True
        elif tag == "option" and self._in_select:
            self.selects[-1] += 1

    def handle_endtag(self, tag):
        if tag == "select":
            self._in_select = False


def pattern_of(path: str, query: str = "") -> str | None:
    """The view a path resolves to ('namespace:name'), or None for an address outside the app;
    a page's file (`?format=xlsx`) is a pattern of its own."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name or match.route
    fmt = parse_qs(query).get("format")
    return f"{name} ({fmt[0]})" if fmt else name


def fetch(client: Client, url: str) -> tuple[Visit, object]:
    # The log holds 9,000 queries; once full, the context's slice of it would be empty.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        seconds = time.perf_counter() - start
    visit = Visit(
        url=url,
        pattern=pattern_of(urlsplit(url).path, urlsplit(url).query) or "?",
        status=response.status_code,
        seconds=seconds,
        queries=len(queries),
        size=len(body),
        content_type=response.get("Content-Type", ""),
    )
    response.body = body
    return visit, response


@dataclass
class Crawl:
    """The pages one user reaches from `starts`, at most `samples` addresses per pattern and
    `limit` requests in all."""

    client: Client
    starts: list[str]
    samples: int = 3
    limit: int = 600
    visits: list[Visit] = field(default_factory=list)

    def run(self) -> Crawl:
        queue = list(self.starts)
        seen = set(queue)
        per_pattern: dict[str, int] = defaultdict(int)
        while queue and len(self.visits) < self.limit:
            url = queue.pop(0)
            visit, response = fetch(self.client, url)
            self.visits.append(visit)
            found = []
            if visit.status in (301, 302, 303) and response.get("Location"):
                found.append(response["Location"])
            elif visit.status == 200 and visit.is_html:
                parser = _Links()
                parser.feed(response.body.decode("utf-8", "replace"))
                visit.largest_select = max(parser.selects, default=0)
                found = parser.links
            for href in found:
                target = urljoin(url, href.split("#")[0])
                parts = urlsplit(target)
                if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                    continue
                if SKIP_PATHS.match(parts.path):
                    continue
                address = parts.path + (f"?{parts.query}" if parts.query else "")
                if address in seen:
                    continue
                pattern = pattern_of(parts.path, parts.query)
                if pattern is None or per_pattern[pattern] >= self.samples:
                    continue
                seen.add(address)
                per_pattern[pattern] += 1
                queue.append(address)
        return self

    def by_pattern(self) -> dict[str, list[Visit]]:
        grouped: dict[str, list[Visit]] = defaultdict(list)
        for visit in self.visits:
            grouped[visit.pattern].append(visit)
        return dict(grouped)
