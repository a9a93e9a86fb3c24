"""Every page of two synthetic provinces, found by following links as each role (issue 21).

For each province (the small one and the large one) and each role — the province official, a
commune-level committee's staff and leader, a branch secretary, a member — the crawler
(benchmarking/crawl.py) follows the links from the start pages, keeping a few addresses per URL
pattern. Each address kept is then requested again `--repeat` times (HTML pages; a document
once more) and the figures are grouped per pattern: p50/p95 server time, most SQL queries, most
bytes. The table compares the sizes; the JSON (var/benchmark-pages.json) keeps every address.
"""

import json
import os
import platform
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings
from django.utils import timezone

from benchmarking.crawl import HTML_LIMIT, Crawl, fetch
from benchmarking.people import role_user
from branches.models import Member, Organization, RoleAssignment, User
from branches.selectors import search_members

Role = RoleAssignment.Role
NO_LIMIT = "100000/m"
TARGET_P95 = 0.300  # seconds, server time, at the large size
STARTS = ["/", "/todo/"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _role_user(organization: Organization, role: str) -> User:
    user = role_user(organization, role)
    if user is None:
        raise CommandError(f"{organization.code}: không có tài khoản {role}.")
    return user


def _member_user(branch: Organization) -> User:
    """A member of the branch with an account: one is made (and its first-log-in password
    change skipped) when the synthetic province has none."""
    member = (
        Member.objects.filter(branch=branch, is_active=True)
        .exclude(user__role_assignments__isnull=False)
        .order_by("pk")
        .first()
    )
    if member.user_id:
        return member.user
    user = User(username=f"dv.bench.{branch.code.lower()}", full_name=member.full_name)
    user.set_unusable_password()  # the benchmark signs in without a password (force_login)
    user.save()
    member.user = user
    member.save(update_fields=["user"])
    return user


def roles_of(code: str) -> dict[str, User]:
    root = Organization.objects.get(code=code)
    # The commune-level committee with the most branches: the largest lists.
    branch_counts = Counter(
        path[: root.steplen * (root.depth + 1)]
        for path in Organization.objects.filter(
            path__startswith=root.path, kind=Organization.Kind.BRANCH
        ).values_list("path", flat=True)
    )
    # (Before 2025 there are no communes: the districts under the province instead.)
    candidates = list(
        Organization.objects.filter(path__startswith=root.path, kind=Organization.Kind.COMMUNE)
    ) or list(Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1))
    biggest = max(candidates, key=lambda c: branch_counts[c.path])
    branch = (
        Organization.objects.filter(path__startswith=biggest.path, kind=Organization.Kind.BRANCH)
        .order_by("path")
        .first()
    )
    return {
        "official": _role_user(root, Role.OFFICIAL),
        "staff": _role_user(biggest, Role.STAFF),
        "leader": _role_user(biggest, Role.LEADER),
        "secretary": _role_user(branch, Role.SECRETARY),
        "member": _member_user(branch),
    }


def search_times(code: str) -> dict:
    """Member search over the province (issue 21: p95 under 100 ms at 400,000 members): for 35
    texts — two last words of real names, given names, a word found nowhere, common ones — the
    SQL alone (a count of the matches) and the member list page with `?q=` as the province
    official (a page of 50 and the count); each text once to warm, once timed."""
    root = Organization.objects.get(code=code)
    names = list(
        Member.objects.filter(branch__path__startswith=root.path)
        .order_by("pk")
        .values_list("full_name", flat=True)[:: max(1, Member.objects.count() // 30)][:30]
    )
    texts = [" ".join(n.split()[-2:]) for n in names[:20]] + [n.split()[-1] for n in names[20:30]]
    texts += ["xyzq", "nguyen van", "tran thi", "le", "pham van tai"]
    client = Client()
    client.force_login(_role_user(root, Role.OFFICIAL))

    def timed(call) -> dict:
        times = []
        for text in texts:
            call(text)
            start = time.perf_counter()
            call(text)
            times.append(time.perf_counter() - start)
        return {
            "n": len(times),
            "p50": round(_percentile(times, 0.5), 4),
            "p95": round(_percentile(times, 0.95), 4),
            "max": round(max(times), 4),
        }

    return {
        "texts": texts,
        "sql": timed(lambda text: search_members(Member.objects.all(), text).count()),
        "member_list_page": timed(lambda text: client.get("/members/", {"q": text})),
    }


def _shape(page: dict) -> str:
    """The same page at both sizes: the pattern, the query string's names and non-numeric
    values (`round=final` is not `round=interim`; ids and years differ between provinces), and
    the status (a large document sent to the task worker answers 302)."""
    query = parse_qsl(urlsplit(page["url"]).query)
    params = "&".join(sorted(f"{k}={'N' if v.isdigit() else v}" for k, v in query))
    return f"{page['pattern']}?{params} {page['status']}"


def _grown(entry: dict) -> list[str]:
    """The shapes of a pattern asked at both sizes with more queries at the large one (+2: a
    page may differ by the state of its data, not by its size)."""
    small = entry.get("small", {}).get("shapes", {})
    large = entry.get("large", {}).get("shapes", {})
    return [
        f"{shape}: {small[shape]} → {n}"
        for shape, n in sorted(large.items())
        if shape in small and n > small[shape] + 2
    ]


class Command(BaseCommand):
    help = "Đo mọi trang tìm được qua liên kết, theo từng vai trò, ở hai cỡ tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("--small", default="PS", help="mã tỉnh nhỏ")
        parser.add_argument("--large", default="PV", help="mã tỉnh lớn")
        parser.add_argument("--samples", type=int, default=2, help="địa chỉ giữ lại mỗi mẫu URL")
        parser.add_argument("--repeat", type=int, default=10, help="số lần đo mỗi trang HTML")
        parser.add_argument("--limit", type=int, default=500, help="số trang tối đa mỗi vai trò")
        parser.add_argument("--out", default="var/benchmark-pages.json")
        parser.add_argument(
            "--search-only", action="store_true", help="chỉ đo tìm kiếm đảng viên ở tỉnh lớn"
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            raise CommandError("Chạy với DJANGO_DEBUG=0: DEBUG ghi lại mọi truy vấn.")
        started = time.perf_counter()
        result = {
            "when": timezone.now().isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "load_before": os.getloadavg()[0],
            },
            "provinces": {},
        }
        with override_settings(ALLOWED_HOSTS=["testserver"], BONTOT_RATE_DOCUMENTS=NO_LIMIT):
            result["search"] = search_times(options["large"])
            self.stdout.write(json.dumps(result["search"], ensure_ascii=False, indent=1))
            if options["search_only"]:
                return
            for size in ("small", "large"):
                code = options[size]
                root = Organization.objects.get(code=code)
                result["provinces"][size] = {
                    "code": code,
                    "branches": Organization.objects.filter(
                        path__startswith=root.path, kind=Organization.Kind.BRANCH
                    ).count(),
                    "members": Member.objects.filter(
                        branch__path__startswith=root.path, is_active=True
                    ).count(),
                    "roles": self._province(code, options),
                }
        result["machine"]["load_after"] = os.getloadavg()[0]
        result["seconds"] = round(time.perf_counter() - started, 1)
        result["patterns"] = self._patterns(result)
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
        self._print(result)
        self.stdout.write(f"{out} · {result['seconds']} s")

    def _province(self, code: str, options) -> dict:
        roles = {}
        for role, user in roles_of(code).items():
            client = Client()
            client.force_login(user)
            crawl = Crawl(client, STARTS, samples=options["samples"], limit=options["limit"]).run()
            pages = []
            for visit in crawl.visits:
                times, queries, size = [visit.seconds], visit.queries, visit.size
                again = options["repeat"] if visit.is_html and visit.status == 200 else 1
                for _ in range(again):
                    repeat, _response = fetch(client, visit.url)
                    times.append(repeat.seconds)
                    queries = max(queries, repeat.queries)
                    size = max(size, repeat.size)
                pages.append(
                    {
                        "url": visit.url,
                        "pattern": visit.pattern,
                        "status": visit.status,
                        "kind": "html"
                        if visit.is_html
                        else "document"
                        if visit.is_document
                        else visit.content_type.split(";")[0],
                        "first": round(times[0], 4),
                        "times": [round(t, 4) for t in times[1:]],
                        "queries": queries,
                        "bytes": size,
                        "largest_select": visit.largest_select,
                    }
                )
            roles[role] = {"user": user.username, "pages": pages}
            self.stderr.write(f"{code} {role}: {len(pages)} địa chỉ")
        return roles

    @staticmethod
    def _patterns(result) -> list[dict]:
        """Per URL pattern and size: p50/p95 of the repeated requests (the first, which fills
        the caches, apart), the most queries and bytes, the largest select."""
        grouped: dict = {}
        for size, province in result["provinces"].items():
            for role, data in province["roles"].items():
                for page in data["pages"]:
                    entry = grouped.setdefault(page["pattern"], {"pattern": page["pattern"]})
                    side = entry.setdefault(
                        size,
                        {
                            "times": [],
                            "first": [],
                            "queries": 0,
                            "bytes": 0,
                            "largest_select": 0,
                            "roles": [],
                            "statuses": [],
                        },
                    )
                    side["kind"] = page["kind"]
                    side["times"] += page["times"]
                    side["first"].append(page["first"])
                    side["queries"] = max(side["queries"], page["queries"])
                    shapes = side.setdefault("shapes", {})
                    shape = _shape(page)
                    shapes[shape] = max(shapes.get(shape, 0), page["queries"])
                    side["bytes"] = max(side["bytes"], page["bytes"])
                    side["largest_select"] = max(side["largest_select"], page["largest_select"])
                    if role not in side["roles"]:
                        side["roles"].append(role)
                    side["statuses"].append(page["status"])
        rows = []
        for entry in grouped.values():
            for size in ("small", "large"):
                side = entry.get(size)
                if side is None:
                    continue
                times = side.pop("times") or side["first"]
                side["p50"] = round(_percentile(times, 0.5), 4)
                side["p95"] = round(_percentile(times, 0.95), 4)
                side["first_max"] = round(max(side.pop("first")), 4)
                side["statuses"] = sorted(set(side["statuses"]))
            large = entry.get("large")
            if large:
                entry["over"] = [
                    reason
                    for reason, failed in [
                        ("p95", large["kind"] == "html" and large["p95"] > TARGET_P95),
                        ("bytes", large["kind"] == "html" and large["bytes"] > HTML_LIMIT),
                        ("select", large["largest_select"] > settings.PICKER_MAX_OPTIONS),
                        ("queries", bool(_grown(entry))),
                        ("status", any(s >= 400 for s in large["statuses"])),
                    ]
                    if failed
                ]
            entry["grown"] = _grown(entry)
            for size in ("small", "large"):
                entry.get(size, {}).pop("shapes", None)
            rows.append(entry)
        return sorted(rows, key=lambda e: -(e.get("large") or e.get("small"))["p95"])

    def _print(self, result) -> None:
        small, large = result["provinces"]["small"], result["provinces"]["large"]
        self.stdout.write(
            f"| URL pattern | kind | queries {small['branches']:,} / {large['branches']:,} "
            "| p50 small | p50 large | p95 large | KB large | largest select | over |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|---|")

        def ms(side, key):
            return f"{side[key] * 1000:.1f} ms" if side else "—"

        for entry in result["patterns"]:
            s, g = entry.get("small"), entry.get("large")
            large = f"| {g['bytes'] / 1024:.0f} | {g['largest_select']} " if g else "| — | — "
            self.stdout.write(
                f"| `{entry['pattern']}` | {(g or s)['kind']} "
                f"| {s['queries'] if s else '—'} / {g['queries'] if g else '—'} "
                f"| {ms(s, 'p50')} | {ms(g, 'p50')} | {ms(g, 'p95')} "
                + large
                + f"| {', '.join(entry.get('over', [])) or '—'} |"
            )
