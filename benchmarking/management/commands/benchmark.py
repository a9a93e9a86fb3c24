"""Measure the pages, documents and throughput on provinces built by build_province
(see docs/benchmarks.md). Not part of the test run: it needs a built province and minutes."""

import argparse
import functools
import http.client
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarking.people import role_user, signed_in
from branches.models import Organization, RoleAssignment
from caching.models import DataVersion
from criteria.models import Plan
from demo.organizations import DEMO_PASSWORD
from partydocs.models import Signature
from pledges.models import DeadlineExtension, Pledge
from pledges.services import preview_content
from reports.reviews.models import Review

Role = RoleAssignment.Role
NO_LIMIT = "100000/m"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _user(organization: Organization, role: str):
    return role_user(organization, role)


class Fixtures:
    """The objects each page is measured on, in one province."""

    def __init__(self, code: str):
        self.root = Organization.objects.get(code=code)
        year = timezone.localdate().year
        plans = Plan.objects.filter(issuer__path__startswith=self.root.path).annotate(
            n=Count("targets")
        )
        self.plan = plans.filter(start_year=year).order_by("-n", "issuer__path").first()
        if self.plan is None:
            raise CommandError(f"{code}: no plan for {year}; build the province first.")
        self.past_plan = plans.filter(start_year=year - 1, issuer=self.plan.issuer).first()
        self.branches = Organization.objects.filter(
            path__startswith=self.root.path, kind=Organization.Kind.BRANCH
        ).count()
        district = self.plan.issuer
        self.official = _user(self.root, Role.OFFICIAL)
        self.district_official = _user(district, Role.OFFICIAL)
        self.staff = _user(district, Role.STAFF)
        self.leader = _user(district, Role.LEADER)
        pledges = Pledge.objects.filter(registration__plan=self.plan)
        self.pledge = pledges.filter(status=Pledge.Status.ACCEPTED).order_by("pk").first()
        extended = DeadlineExtension.objects.filter(
            plan=self.plan, kind=DeadlineExtension.Kind.SIGNING, until__gte=timezone.localdate()
        ).values("organization")
        self.draft = (
            pledges.filter(status=Pledge.Status.DRAFT, registration__organization__in=extended)
            .select_related("registration__organization")
            .order_by("pk")
            .first()
        )
        self.secretary = (
            _user(self.draft.registration.organization, Role.SECRETARY) if self.draft else None
        )
        self.review = (
            Review.objects.filter(registration__plan=self.plan, status=Review.Status.SUBMITTED)
            .order_by("pk")
            .first()
        )
        self.draft_review = (
            Review.objects.filter(registration__plan=self.plan, status=Review.Status.DRAFT)
            .select_related("registration__organization")
            .order_by("pk")
            .first()
        )
        self.review_secretary = (
            _user(self.draft_review.registration.organization, Role.SECRETARY)
            if self.draft_review
            else None
        )


def _new_version(scope: int = DataVersion.DASHBOARD) -> None:
    """What a write's trigger does to the data version (reports 0004, 0005, 0006)."""
    DataVersion.objects.filter(id=scope).update(value=random.randrange(1, 2**53))


_new_members_version = functools.partial(_new_version, DataVersion.MEMBERS)
_new_summary_version = functools.partial(_new_version, DataVersion.SUMMARY)


_client = signed_in


class Command(BaseCommand):
    help = "Đo thời gian trang, số truy vấn, PDF và thông lượng trên tỉnh tổng hợp."

    def add_arguments(self, parser):
        parser.add_argument("--small", default="PS", help="mã tỉnh nhỏ (50 chi bộ)")
        parser.add_argument("--large", default="PV", help="mã tỉnh lớn (5.000 chi bộ)")
        parser.add_argument("--requests", type=int, default=30, help="số lần đo mỗi trang")
        parser.add_argument("--pdf-requests", type=int, default=5)
        parser.add_argument("--load-seconds", type=float, default=15.0)
        parser.add_argument("--load-requests", type=int, default=3000)
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument("--skip-load", action="store_true")
        parser.add_argument("--skip-pdf", action="store_true")
        parser.add_argument("--only", default="", help="chỉ đo các trang này (phẩy)")
        parser.add_argument("--json", default=str(Path(settings.BASE_DIR) / "var/benchmark.json"))
        # Internal: the summary render measured in a fresh process.
        parser.add_argument("--child-summary", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--child-year", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--child-round", default="final", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["child_summary"]:
            return self._child_summary(
                options["child_summary"], options["child_year"], options["child_round"]
            )
        started = time.monotonic()
        result = {
            "when": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "debug": settings.DEBUG,
            "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
            "pages": {},
        }
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: figures are pessimistic (run with DJANGO_DEBUG=0).")
        only = {name for name in options["only"].split(",") if name}
        provinces = {"small": Fixtures(options["small"]), "large": Fixtures(options["large"])}
        measured = self._pages(provinces, options["requests"], only)
        for label, fixtures in provinces.items():
            result["pages"][label] = {
                "code": fixtures.root.code,
                "branches": fixtures.branches,
                "plan_targets": fixtures.plan.targets.count(),
                "pages": measured[label],
            }
        large = provinces["large"]
        if not options["skip_pdf"]:
            result["pdf"] = self._pdfs(large, options["pdf_requests"])
        if not options["skip_load"]:
            result["throughput"] = self._throughput(
                large, options["load_seconds"], options["load_requests"], options["concurrency"]
            )
        result["machine"]["load_average_at_end"] = os.getloadavg()
        result["seconds"] = round(time.monotonic() - started, 1)
        result["targets"] = self._targets(result)
        Path(options["json"]).parent.mkdir(parents=True, exist_ok=True)
        Path(options["json"]).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        self._print(result)
        self.stdout.write(f"JSON: {options['json']}")

    # -- pages -------------------------------------------------------------------------------

    def _page_specs(self, f: Fixtures):
        pledge_type = ContentType.objects.get_for_model(Pledge)
        summary_url = f"/plans/{(f.past_plan or f.plan).pk}/summary/" + (
            f"?year={f.past_plan.start_year}&round=final" if f.past_plan else ""
        )
        specs = {
            "dashboard (province official)": (f.official, "get", "/", None),
            "dashboard (district staff)": (f.staff, "get", "/", None),
            # The same pages right after a write: the data version changes before each request
            # (as any write's trigger does), so the figures are computed and stored again.
            "dashboard, cache miss (province official)": (f.official, "get", "/", _new_version),
            "dashboard, cache miss (district staff)": (f.staff, "get", "/", _new_version),
            "organization list": (f.official, "get", "/organizations/", None),
            "organization list, cache miss": (
                f.official,
                "get",
                "/organizations/",
                _new_members_version,
            ),
            "pledge page": (f.leader, "get", f"/pledges/{f.pledge.pk}/", None),
            "review form (assess)": (
                f.staff,
                "get",
                f"/reviews/{f.review.pk}/assess/" if f.review else None,
                None,
            ),
            "review form (self, live)": (
                f.review_secretary,
                "get",
                f"/reviews/{f.draft_review.pk}/self/" if f.draft_review else None,
                None,
            ),
            "summary page": (
                f.staff,
                "get",
                summary_url,
                None,
            ),
            "summary page, cache miss": (
                f.staff,
                "get",
                summary_url,
                _new_summary_version,
            ),
        }
        if f.draft is not None:
            _content, seen = preview_content(f.draft, f.secretary)
            data = {
                "full_name": f.secretary.full_name,
                "password": DEMO_PASSWORD,
                "consent": "on",
                "content_hash": seen,
                "drawing": "",
            }

            def signed(draft=f.draft):
                return Signature.objects.filter(
                    content_type=pledge_type, object_id=draft.pk, role="signer"
                ).exists()

            specs["sign POST (rolled back)"] = (
                f.secretary,
                "post",
                f"/pledges/{f.draft.pk}/sign/",
                (data, signed),
            )
        return specs

    def _pages(self, provinces: dict[str, Fixtures], n: int, only: set[str]) -> dict:
        """Each page on both provinces, the requests alternating between them, so a change in
        the load of the machine weighs on both sides alike."""
        specs = {label: self._page_specs(f) for label, f in provinces.items()}
        out = {label: {} for label in provinces}
        for name in specs["large"]:
            if only and not any(o in name for o in only):
                continue
            if any(name not in s or s[name][2] is None for s in specs.values()):
                continue
            clients = {label: _client(specs[label][name][0]) for label in provinces}
            times = {label: [] for label in provinces}
            queries, status = {}, {}
            for i in range(n + 2):
                for label in provinces:
                    _user, method, url, extra = specs[label][name]
                    with transaction.atomic():
                        if method == "get" and extra is not None:
                            extra()  # before the clock starts
                        capture = CaptureQueriesContext(connection) if i == 1 else None
                        start = time.perf_counter()
                        if capture is not None:
                            with capture:
                                response = self._request(clients[label], method, url, extra)
                        else:
                            response = self._request(clients[label], method, url, extra)
                        elapsed = time.perf_counter() - start
                        status[label] = response.status_code
                        if method == "post":
                            if not extra[1]():
                                raise CommandError(f"{name}: the POST did not sign.")
                            transaction.set_rollback(True)
                    if capture is not None:
                        queries[label] = len(capture.captured_queries)
                    elif i >= 2:
                        times[label].append(elapsed * 1000)
            for label, f in provinces.items():
                out[label][name] = {
                    "url": specs[label][name][2],
                    "status": status[label],
                    "queries": queries[label],
                    "p50_ms": round(statistics.median(times[label]), 1),
                    "p95_ms": round(_percentile(times[label], 0.95), 1),
                    "n": len(times[label]),
                }
                row = out[label][name]
                self.stdout.write(
                    f"  {f.root.code} {name}: {row['p50_ms']} / {row['p95_ms']} ms, "
                    f"{row['queries']} queries ({row['status']})"
                )
        return out

    @staticmethod
    def _request(client, method, url, extra):
        if method == "post":
            return client.post(url, extra[0])
        return client.get(url)

    # -- documents ---------------------------------------------------------------------------

    def _pdfs(self, f: Fixtures, n: int) -> dict:
        """A signed pledge's PDF is rendered and sealed on its first download, then kept: both
        are timed (on pledges never downloaded before), and a draft, rendered every time."""

        def timed(client, pk):
            start = time.perf_counter()
            response = client.get(f"/pledges/{pk}/pdf/")
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                raise CommandError(f"pledge PDF {pk}: {response.status_code}")
            return elapsed

        def stats(times):
            return {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(_percentile(times, 0.95), 1),
                "n": len(times),
            }

        fresh = []
        for pledge in Pledge.objects.filter(
            registration__plan=f.plan, status=Pledge.Status.ACCEPTED
        ).order_by("-pk"):
            signer = pledge.signatures.get(role="signer")
            name = f"sealed/pledge-{pledge.pk}-{pledge.status}-{signer.code}.pdf"
            if not default_storage.exists(name):
                fresh.append(pledge.pk)
            if len(fresh) > n:
                break
        client = _client(f.leader)
        with override_settings(BONTOT_RATE_DOCUMENTS=NO_LIMIT):
            first = [timed(client, pk) for pk in fresh][1:]  # the first one warms up WeasyPrint
            kept = [timed(client, pk) for pk in fresh][1:]
            draft = []
            if f.draft is not None:
                secretary = _client(f.secretary)
                draft = [timed(secretary, f.draft.pk) for _ in range(n + 1)][1:]
        pledge_pdf = {
            "first_download_render_and_seal": stats(first),
            "later_downloads_kept_file": stats(kept),
            "draft_render": stats(draft) if draft else None,
        }
        self.stdout.write(f"  pledge PDF: {pledge_pdf}")
        plan = f.past_plan or f.plan
        round_ = "final" if f.past_plan else "interim"
        child = subprocess.run(
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "benchmark",
                f"--child-summary={plan.pk}",
                f"--child-year={plan.start_year}",
                f"--child-round={round_}",
            ],
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if child.returncode != 0:
            raise CommandError(f"summary PDF child failed: {child.stderr[-2000:]}")
        summary = json.loads(child.stdout.strip().splitlines()[-1])
        self.stdout.write(f"  summary PDF: {summary}")
        return {"pledge_pdf": pledge_pdf, "summary_pdf": summary}

    def _child_summary(self, plan_pk: int, year: int, round_: str) -> None:
        """In a fresh process: the summary PDF as the app renders it (data + template + PDF),
        beside WeasyPrint rendering the same HTML alone; peak memory of the process."""
        from weasyprint import HTML

        from rendering import pdf as documents
        from reports.summaries.documents import summary_pdf
        from reports.summaries.selectors import SummaryFilters, summary_data

        captured = {}

        class Recording(HTML):
            def __init__(self, *args, **kwargs):
                captured["html"], captured["base_url"] = kwargs.get("string"), kwargs["base_url"]
                super().__init__(*args, **kwargs)

        documents.HTML = Recording
        plan = Plan.objects.select_related("issuer").get(pk=plan_pk)
        full, floor, pages = [], [], 0

        def app():
            start = time.perf_counter()
            data = summary_data(plan, year, round_, SummaryFilters())
            pdf = summary_pdf(data)
            full.append(time.perf_counter() - start)
            return data, pdf

        def bare():
            start = time.perf_counter()
            document = HTML(
                string=captured["html"],
                base_url=captured["base_url"],
                url_fetcher=documents.SafeURLFetcher(),
            ).render()
            document.write_pdf()
            floor.append(time.perf_counter() - start)
            return len(document.pages)

        # Alternating, so neither side always runs on a warmer (or fuller) process.
        data, pdf = app()
        pages = bare()
        pages = bare()
        data, pdf = app()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        out = {
            "rows": len(data.rows),
            "pages": pages,
            "bytes": len(pdf),
            "app_s": round(min(full), 2),
            "floor_s": round(min(floor), 2),
            "ratio": round(min(full) / min(floor), 3),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        }
        print(json.dumps(out))

    # -- throughput under gunicorn ----------------------------------------------------------

    def _throughput(self, f: Fixtures, seconds: float, max_requests: int, concurrency: int):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "DJANGO_DEBUG": "0"}
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
        )
        try:
            self._wait_for(port)
            client = _client(f.official)
            cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            out = {}
            for name, path, headers in (
                ("trivial view (/livez)", "/livez", {}),
                # A simple signed-in page for reference: session, user, roles, base template, a form.
                (
                    "a simple signed-in page (/accounts/password/change/)",
                    "/accounts/password/change/",
                    {"Cookie": cookie},
                ),
                ("dashboard (province official)", "/", {"Cookie": cookie}),
            ):
                _load(port, path, headers, seconds=2, max_requests=50, concurrency=concurrency)
                out[name] = _load(
                    port,
                    path,
                    headers,
                    seconds=seconds,
                    max_requests=max_requests,
                    concurrency=concurrency,
                )
                self.stdout.write(f"  {name}: {out[name]}")
            trivial = out["trivial view (/livez)"]["rps"]
            out["ratio"] = round(out["dashboard (province official)"]["rps"] / trivial, 3)
            out["ratio_to_simple_signed_in_page"] = round(
                out["dashboard (province official)"]["rps"]
                / out["a simple signed-in page (/accounts/password/change/)"]["rps"],
                3,
            )
            return out
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    @staticmethod
    def _wait_for(port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/livez")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not start")

    # -- report ------------------------------------------------------------------------------

    def _targets(self, result: dict) -> dict:
        small, large = result["pages"]["small"]["pages"], result["pages"]["large"]["pages"]
        checks = {}
        for name, big in large.items():
            little = small.get(name)
            if little is None:
                continue
            checks[name] = {
                "queries_constant": big["queries"] == little["queries"],
                "ratio_p50": round(big["p50_ms"] / little["p50_ms"], 2),
                "within_1_5x": big["p50_ms"] <= 1.5 * little["p50_ms"],
                "p95_under_300ms": big["p95_ms"] < 300,
            }
            if "cache miss" in name:
                # The first request after a write: the page's uncached computation, reported
                # beside the page as served (docs/benchmarks.md, "Targets").
                checks[name]["first_request_after_a_write"] = True
        if "pdf" in result:
            summary = result["pdf"]["summary_pdf"]
            checks["summary PDF within 1.2x floor"] = summary["ratio"] <= 1.2
            checks["summary PDF peak memory under 1 GiB"] = summary["peak_rss_mib"] < 1024
        if "throughput" in result:
            checks["dashboard throughput >= 25% of trivial"] = result["throughput"]["ratio"] >= 0.25
        return checks

    def _print(self, result: dict) -> None:
        small, large = result["pages"]["small"], result["pages"]["large"]
        self.stdout.write("")
        self.stdout.write(
            f"{'page':34} {'queries':>9} {'p50 ' + str(small['branches']):>10} "
            f"{'p50 ' + str(large['branches']):>11} {'p95 ' + str(large['branches']):>11} {'×':>5}"
        )
        for name, big in large["pages"].items():
            little = small["pages"].get(name, {})
            self.stdout.write(
                f"{name:34} {str(little.get('queries')) + '/' + str(big['queries']):>9} "
                f"{little.get('p50_ms', '-'):>10} {big['p50_ms']:>11} {big['p95_ms']:>11} "
                f"{result['targets'].get(name, {}).get('ratio_p50', '-'):>5}"
            )
        if "pdf" in result:
            self.stdout.write(f"pledge PDF: {result['pdf']['pledge_pdf']}")
            self.stdout.write(f"summary PDF: {result['pdf']['summary_pdf']}")
        if "throughput" in result:
            self.stdout.write(f"throughput: {result['throughput']}")
        for name, ok in result["targets"].items():
            self.stdout.write(f"  {name}: {ok}")


def _load(port, path, headers, *, seconds, max_requests, concurrency) -> dict:
    """A bounded load generator on loopback: `concurrency` threads with keep-alive connections,
    until `max_requests` answers or `seconds` have passed."""
    lock = threading.Lock()
    state = {"sent": 0, "ok": 0, "errors": 0, "latencies": []}
    stop_at = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if state["sent"] >= max_requests:
                    return
                state["sent"] += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                good = response.status == 200
            except (OSError, http.client.HTTPException):
                good = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                state["ok" if good else "errors"] += 1
                state["latencies"].append((time.perf_counter() - start) * 1000)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = state["latencies"] or [0]
    return {
        "requests": state["ok"],
        "errors": state["errors"],
        "seconds": round(elapsed, 2),
        "rps": round(state["ok"] / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
    }
