"""A sweep of hostile requests over every URL of the application: no answer is a server error.

For every URL pattern (the access matrix's rows, so a new URL is swept as soon as it has its row),
as a person who may use it:
- GET with every query parameter any page reads set to each nonsense value (and once more with
  `format=xlsx`, for the lists' downloads), and with one parameter at a time nonsense;
- the same URL with each object id in its path replaced by ids no database row can have
  (0, beyond 64 bits);
- for a page with a form, POST with every field of the form set to each nonsense value;
- for a POST-only URL, POST with nonsense in the fields such requests carry.

The probe of issue 15 found 31 server errors among about 3,900 such requests; tests/security/
test_hostile_input.py holds a test for each of those findings. This sweep guards what nobody has
thought of yet. About 100 requests per URL pattern; each pattern prints its count (pytest -s).
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.test_access import MATRIX, ROLES, WITHOUT_DATA, _with_pledges

# Every query parameter a page of the application reads (grep request.GET).
PARAMS = [
    "year",
    "round",
    "page",
    "q",
    "org",
    "scope",
    "kind",
    "status",
    "active",
    "organization",
    "report",
    "plan",
    "format",
    "next",
    "sort",
    "filter",
]
NONSENSE = [
    "0",
    "-1",
    "99999",
    "9" * 40,
    "abc",
    "\x00",
    "1\x00",
    "30/02/2023",
    "2023-13-45",
    "١٢",  # Arabic-Indic digits: str.isdigit() says yes, int() says yes, the database says no
    "1e309",
    "NaN",
    " ",
    "A" * 5000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "//evil.example/",
]
IMPOSSIBLE_IDS = ["0", str(2**63), "9" * 30]


class _Forms(HTMLParser):
    """The names of the fields of the page's POST forms."""

    def __init__(self):
        super().__init__()
        self.fields: set[str] = set()
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = (attrs.get("method") or "").lower() == "post"
        elif (
            self._in_post_form
            and tag in ("input", "select", "textarea")
            and attrs.get("name") not in (None, "csrfmiddlewaretoken")
            and attrs.get("type") != "file"
        ):
            self.fields.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False


def _role_for(expected: dict) -> str:
    """Someone who gets through: a 200 (or a redirect after a POST) rather than a refusal."""
    for role in ("staff", "leader", "secretary_own", "official", "secretary_other"):
        if expected.get(role) in (200, 302):
            return role
    return "anonymous"


def _with_impossible_ids(url_name: str, args: list) -> list[list]:
    variants = []
    for index, value in enumerate(args):
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            for impossible in IMPOSSIBLE_IDS:
                changed = list(args)
                changed[index] = impossible
                variants.append(changed)
    return variants


SWEPT = [name for name in MATRIX if name != "logout"]  # logging out ends the sweep's session


@pytest.mark.parametrize("url_name", SWEPT)
def test_no_hostile_request_is_a_server_error(world, plan, login, url_name):
    if url_name not in WITHOUT_DATA:
        _with_pledges(world, plan)
    method, args_of, expected = MATRIX[url_name]
    role = _role_for(expected)
    client = login(world.users[role])
    client.raise_request_exception = False
    args = args_of(world)
    url = reverse(url_name, args=args)
    failures, sent = [], 0

    def send(verb, address, data):
        nonlocal sent
        sent += 1
        try:
            response = getattr(client, verb)(address, data)
        except Exception as error:  # noqa: BLE001 - reported below with the request
            failures.append(f"{verb.upper()} {address} {str(data)[:120]!r}: {error!r}"[:400])
            return None
        if response.status_code >= 500:
            failures.append(f"{verb.upper()} {address} {str(data)[:120]!r}: {response.status_code}")
        return response

    # Path ids no row can have.
    for changed in _with_impossible_ids(url_name, args):
        try:
            address = reverse(url_name, args=changed)
        except Exception:  # noqa: BLE001 - the URL pattern itself refuses it: nothing to send
            continue
        send(method, address, {})

    if method == "get":
        for value in NONSENSE:
            everything = dict.fromkeys(PARAMS, value)
            send("get", url, everything)
            send("get", url, {**everything, "format": "xlsx"})
        for name in PARAMS:
            for value in ("0", "9" * 40, "\x00", "١٢"):
                send("get", url, {name: value})
        page = client.get(url)
        if page.status_code == 200 and "text/html" in page.get("Content-Type", ""):
            parser = _Forms()
            parser.feed(page.content.decode(errors="replace"))
            fields = sorted(parser.fields - {"language", "next"})
            if fields:
                for value in NONSENSE:
                    send("post", url, dict.fromkeys(fields, value))
    else:
        for value in NONSENSE:
            send(
                "post",
                url,
                dict.fromkeys(["reason", "note", "until", "kind", "status", "year", "next"], value),
            )
    print(f"{url_name}: {sent} hostile requests as {role}")
    assert sent > 0
    assert failures == [], "\n".join(failures[:30])


def test_every_role_of_the_matrix_is_known():
    assert {_role_for(expected) for _method, _args, expected in MATRIX.values()} <= set(ROLES)
