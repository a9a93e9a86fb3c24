"""Bulk work at the size of a merged province (issue 21): importing `--rows` members from Excel
into the branches of the largest commune-level committee, as its staff — the preview (reading and
checking every row) and the commit (checking again and writing in one transaction) — each in a
child process of its own, so that its peak memory is its own. The commit is rolled back: the
database is left as it was.

    manage.py benchmark_import --code PV --rows 10000
"""

import datetime
import json
import multiprocessing
import random
import resource
import time

from django.core.management.base import BaseCommand
from django.db import connections, transaction

from benchmarking.management.commands.benchmark_pages import roles_of
from branches.imports import MemberImporter
from branches.models import Organization
from rendering.excel import Column, workbook_bytes


class _RolledBack(Exception):
    pass


def workbook(branches: list[Organization], rows: int, seed: int = 1) -> bytes:
    """`rows` new members spread over the branches, in the import template's columns."""
    rng = random.Random(seed)
    importer = MemberImporter(actor=None)
    columns = [Column(str(c.label), width=16) for c in importer.columns]
    keys = [c.key for c in importer.columns]
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
    middles = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc"]
    given = ["An", "Bình", "Cường", "Dung", "Hà", "Lan", "Long", "Mai", "Nam", "Tâm", "Tài"]
    data = []
    for index in range(rows):
        joined = datetime.date(
            rng.randrange(1985, 2024), rng.randrange(1, 13), rng.randrange(1, 28)
        )
        values = {
            "full_name": f"{rng.choice(surnames)} {rng.choice(middles)} {rng.choice(given)}",
            "gender": rng.choice(["Nam", "Nữ"]),
            "birth_date": datetime.date(joined.year - rng.randrange(20, 40), 6, 15),
            "card_number": f"99{index:08d}",
            "join_date": joined,
            "official_date": joined.replace(year=joined.year + 1),
            "status": "Chính thức",
            "branch_code": branches[index % len(branches)].code,
            "start_date": joined,
        }
        data.append([values.get(key, "") for key in keys])
    return workbook_bytes(sheets=[(str(importer.sheet_title), columns, data)])


def _run(kind: str, data: bytes, username: str, queue) -> None:
    from branches.models import User

    actor = User.objects.get(username=username)
    start = time.perf_counter()
    importer = MemberImporter(actor=actor)
    if kind == "preview":
        preview = importer.validate(data)
    else:
        try:
            with transaction.atomic():
                preview = importer.commit(data)
                raise _RolledBack
        except _RolledBack:
            pass
    seconds = time.perf_counter() - start
    queue.put(
        {
            "seconds": round(seconds, 2),
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "ok": preview.ok,
            "rows": len(getattr(preview, "rows", []) or []),
            "errors": [str(e) for e in (getattr(preview, "errors", None) or [])][:3],
        }
    )


class Command(BaseCommand):
    help = "Đo thời gian và bộ nhớ khi nhập danh sách đảng viên lớn từ Excel."

    def add_arguments(self, parser):
        parser.add_argument("--code", default="PV")
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--out", default="var/benchmark-import.json")

    def handle(self, *args, code, rows, out, **options):
        staff = roles_of(code)["staff"]
        commune = staff.role_assignments.get(role="staff").organization
        branches = list(
            Organization.objects.filter(
                path__startswith=commune.path, kind=Organization.Kind.BRANCH, is_active=True
            ).order_by("path")
        )
        data = workbook(branches, rows)
        result = {
            "commune": commune.name,
            "branches": len(branches),
            "rows": rows,
            "file_kib": round(len(data) / 1024),
        }
        context = multiprocessing.get_context("fork")
        for kind in ("preview", "commit"):
            connections.close_all()  # the child opens its own connection
            queue = context.Queue()
            child = context.Process(target=_run, args=(kind, data, staff.username, queue))
            child.start()
            result[kind] = queue.get()
            child.join()
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
        with open(out, "w") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=1)
