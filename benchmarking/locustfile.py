"""The load test (issue 21): readers and writers of an end-of-year week, at once, against gunicorn,
PostgreSQL and the task worker as deployed (scripts/prodlike.sh load, `make loadtest`).

Runs in its own virtual environment (.venv-load, benchmarking/load-requirements.txt): locust
and its gevent are a tool of the benchmark, not of the application. Nothing here imports
Django; the people, their sessions and their pages come from `manage.py load_plan`.

- Readers (four in five): the start page, the work queue, lists, summaries, ratings, a member
  search, signed documents, each person the pages of their role and commune.
- Writers (one in five): commune staff re-submit an assessment; secretaries re-submit a meeting's
  record and their branch's member ratings, and sign a draft pledge where one can still be
  signed. Each write goes through the real form (CSRF, validation, history, triggers) and must
  end in the redirect of a saved form: anything else is an error.

Every response's Server-Timing header (BONTOT_SERVER_TIMING) says how many cached figures it
found and computed: their totals, the hit ratio, are written to LOAD_FIGURES (JSON) at the end."""

import json
import os
import random
import re
import threading
from itertools import count

from htmlforms import form_data, post_form  # beside this file (locust puts its folder on the path)
from locust import HttpUser, between, events, task

with open(os.environ.get("LOAD_PLAN", "var/load/plan.json"), encoding="utf-8") as _f:
    PLAN = json.load(_f)
READERS = [p for p in PLAN["people"] if p["kind"] == "reader"]
WRITERS = [p for p in PLAN["people"] if p["kind"] == "writer"]
# The plan lists people commune by commune: shuffled, the first users started come from many.
random.Random(21).shuffle(READERS)
random.Random(21).shuffle(WRITERS)
_next_reader, _next_writer = count(), count()
_figures = {"hit": 0, "miss": 0, "responses": 0}
_figures_lock = threading.Lock()
TIMING = re.compile(r'figures;desc="hit=(\d+) miss=(\d+)"')


class _Person(HttpUser):
    abstract = True
    wait_time = between(1, 4)

    def _headers(self) -> dict:
        cookies = f"sessionid={self.person['session']}"
        if getattr(self, "csrf", None):
            cookies += f"; csrftoken={self.csrf}"
        return {"Cookie": cookies, "Accept-Language": "vi"}

    def _count(self, response) -> None:
        found = TIMING.search(response.headers.get("Server-Timing", ""))
        if found:
            with _figures_lock:
                _figures["hit"] += int(found.group(1))
                _figures["miss"] += int(found.group(2))
                _figures["responses"] += 1

    def _get(self, path: str, name: str):
        with self.client.get(
            path, headers=self._headers(), name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._count(response)
            if response.status_code != 200:
                response.failure(f"{response.status_code} {path}")
            return response


def _name(path: str) -> str:
    """The URL's pattern, numbers out: one line of the report per page kind."""
    return re.sub(r"\d+", "<id>", path.split("?")[0]) + ("?q" if "?" in path else "")


class Reader(_Person):
    weight = 4

    def on_start(self):
        self.person = READERS[next(_next_reader) % len(READERS)]

    @task
    def read(self):
        path = random.choice(self.person["reads"])
        self._get(path, "read " + _name(path))


class Writer(_Person):
    weight = 1

    def on_start(self):
        self.person = WRITERS[next(_next_writer) % len(WRITERS)]
        self.signed = set()

    @task
    def write(self):
        writes = {k: v for k, v in self.person["writes"].items() if v}
        if "sign" in writes and all(p in self.signed for p in writes["sign"]):
            del writes["sign"]  # signed once: a pledge is signed one time
        if not writes:
            return
        # A pledge still to sign is signed first (once): the rest of the run re-submits forms.
        kind = "sign" if "sign" in writes else random.choice(sorted(writes))
        path = random.choice([p for p in writes[kind] if p not in self.signed])
        page = self._get(path, f"write {kind} (form)")
        if page.status_code != 200:
            return
        self.csrf = page.cookies.get("csrftoken") or getattr(self, "csrf", None)
        form = post_form(page.text, path)
        if form is None:
            page.failure(f"no form on {path}")
            return
        changes = {}
        if kind == "sign":
            changes = {
                "password": PLAN["password"],
                "consent": "on",
                "full_name": self.person["full_name"],
            }
        headers = {**self._headers(), "Referer": self.host + path}
        with self.client.post(
            path,
            data=form_data(form, changes),
            headers=headers,
            name=f"write {kind}",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._count(response)
            if response.status_code not in (302, 303):
                errors = re.findall(
                    r'class="[^"]*(?:invalid-feedback|alert-danger)[^"]*"[^>]*>([^<]+)',
                    response.text,
                )
                response.failure(f"{response.status_code} {path}: {errors[:2]}")
            elif kind == "sign":
                self.signed.add(path)


_times: dict[str, list[float]] = {"read": [], "write": [], "write form": []}


@events.request.add_listener
def _time(name, response_time, exception, **_kwargs):
    kind = "write form" if name.endswith("(form)") else name.split()[0]
    _times.setdefault(kind, []).append(response_time)


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


@events.quitting.add_listener
def _write_figures(environment, **_kwargs):
    out = os.environ.get("LOAD_FIGURES")
    if not out:
        return
    total = _figures["hit"] + _figures["miss"]
    stats = environment.stats.total
    summary = {
        "requests": stats.num_requests,
        "failures": stats.num_failures,
        "seconds": round(stats.last_request_timestamp - stats.start_time, 1)
        if stats.last_request_timestamp
        else None,
        "per_kind_ms": {
            kind: {"n": len(v), "p50": _percentile(v, 0.5), "p95": _percentile(v, 0.95)}
            for kind, v in _times.items()
        },
        "figures": {**_figures, "hit_ratio": round(_figures["hit"] / total, 4) if total else None},
    }
    summary["throughput_rps"] = (
        round(summary["requests"] / summary["seconds"], 2) if summary["seconds"] else None
    )
    with open(out, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
