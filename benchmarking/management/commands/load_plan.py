"""The people and pages of the load test (benchmarking/locustfile.py, scripts/loadtest.sh), read
from a province built by build_province: for some of its communes, the commune's staff and
leader, secretaries of its branches, and the province official, each with a session of their
own (signed in as the test client does, so the run measures the pages and not the password
hashing of a thousand log-ins), the pages each reads and the forms each writes.

    manage.py load_plan --code PV --communes 24 --out var/load/plan.json

Writers re-submit real forms with what they show (an assessment, a meeting's record, the
branch's member ratings: each a real write through the form, its validation, its history and
the database triggers) and sign draft pledges: in each commune one secretary is taken from a
branch with a draft pledge, and its signing deadline, if past, is extended for that branch by the
commune's staff (written to the database, as an office does in December)."""

import datetime
import json
import random
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from benchmarking.people import role_user, signed_in
from branches.models import Member, Organization, RoleAssignment
from criteria.models import Plan
from pledges.models import DeadlineExtension, Pledge, Registration
from pledges.selectors import deadline_for
from pledges.services import deadline_extend
from reports.meetings.models import Meeting
from reports.reviews.models import Review
from web.health import worker_heartbeat

Role = RoleAssignment.Role


def _session(user) -> str:
    return signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value


_user = role_user


def waiting_tasks() -> int:
    """Tasks queued or running, the worker's heartbeat apart."""
    return (
        DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .exclude(task_path=worker_heartbeat.module_path)
        .count()
    )


class Command(BaseCommand):
    help = "Người dùng, trang đọc và biểu mẫu ghi của bài thử tải (locust)."

    def add_arguments(self, parser):
        parser.add_argument("--code", default="PV")
        parser.add_argument("--communes", type=int, default=24)
        parser.add_argument("--secretaries", type=int, default=3, help="mỗi xã")
        parser.add_argument("--out", default="var/load/plan.json")
        parser.add_argument("--seed", type=int, default=21)
        parser.add_argument(
            "--drain",
            type=int,
            default=900,
            help="giây chờ tác vụ nền tồn đọng chạy xong trước khi đo (0: không chờ)",
        )

    def handle(self, *args, **options):
        if options["drain"]:
            self._drain(options["drain"])
        rng = random.Random(options["seed"])
        try:
            root = Organization.objects.get(code=options["code"])
        except Organization.DoesNotExist:
            raise CommandError(
                f"Không có tổ chức mã {options['code']} (build_province trước)."
            ) from None
        communes = list(
            Organization.objects.filter(
                path__startswith=root.path, depth=root.depth + 1, kind=Organization.Kind.COMMUNE
            ).order_by("path")
        )
        communes = rng.sample(communes, min(options["communes"], len(communes)))
        today = timezone.localdate()
        people = []
        official = _user(root, Role.OFFICIAL)
        root_plan = Plan.objects.filter(issuer__in=communes).order_by("-start_year", "pk").first()
        people.append(
            {
                "kind": "reader",
                "role": "official",
                "session": _session(official),
                "reads": [
                    "/",
                    reverse("reports:worklist"),
                    reverse("reports:summary", args=[root_plan.pk]),
                    reverse("branches:organization_detail", args=[rng.choice(communes).pk]),
                    reverse("reports:committee_ratings", args=[root.pk]),
                ],
            }
        )
        for commune in communes:
            plan = (
                Plan.objects.filter(issuer=commune, status=Plan.Status.PUBLISHED)
                .order_by("-start_year")
                .first()
            )
            if plan is None:
                continue
            branches = list(
                Organization.objects.filter(
                    path__startswith=commune.path, kind=Organization.Kind.BRANCH
                ).order_by("path")
            )
            commune_reads = [
                "/",
                reverse("reports:worklist"),
                reverse("pledges:registration_list", args=[plan.pk]),
                reverse("reports:plan_reviews", args=[plan.pk]),
                reverse("reports:summary", args=[plan.pk]),
                reverse("branches:member_list") + f"?org={commune.pk}",
                reverse("reports:committee_ratings", args=[commune.pk]),
            ]
            reviews = list(
                Review.objects.filter(
                    registration__plan=plan,
                    round=Review.Round.INTERIM,
                    status__in=[Review.Status.SUBMITTED, Review.Status.ASSESSED],
                ).values_list("pk", flat=True)[:20]
            )
            for role in (Role.STAFF, Role.LEADER):
                user = _user(commune, role)
                if user is None:
                    continue
                people.append(
                    {
                        "kind": "reader",
                        "role": role,
                        "session": _session(user),
                        "reads": commune_reads,
                    }
                )
            staff = _user(commune, Role.STAFF)
            if staff is not None and reviews:
                people.append(
                    {
                        "kind": "writer",
                        "role": "staff",
                        "session": _session(staff),
                        "writes": {
                            "assess": [
                                reverse("reports:review_assess", args=[pk]) for pk in reviews
                            ]
                        },
                    }
                )
            # Two branches with a draft pledge first, when the commune has them: their secretaries sign
            # during the run. Past the signing deadline the commune's staff extend it for that
            # branch (a real extension, kept in the database, as an office gives one in December).
            drafts = sorted(
                set(
                    Pledge.objects.filter(
                        registration__plan=plan,
                        registration__organization__in=branches,
                        status=Pledge.Status.DRAFT,
                    ).values_list("registration__organization_id", flat=True)
                )
            )
            chosen = [b for b in branches if b.pk in drafts[:2]]
            rest = [b for b in branches if b not in chosen]
            chosen += rng.sample(rest, min(options["secretaries"] - len(chosen), len(rest)))
            for branch in chosen:
                if branch.pk in drafts and staff is not None:
                    deadline = deadline_for(plan, branch, DeadlineExtension.Kind.SIGNING)
                    if deadline is not None and deadline < today:
                        deadline_extend(
                            actor=staff,
                            plan=plan,
                            organization=branch,
                            kind=DeadlineExtension.Kind.SIGNING,
                            until=today + datetime.timedelta(days=14),
                            reason="Thử tải (load_plan): gia hạn ký cam kết",
                        )
                secretary = _user(branch, Role.SECRETARY)
                if secretary is None:
                    continue
                registration = Registration.objects.filter(plan=plan, organization=branch).first()
                pledge = (
                    Pledge.objects.filter(registration=registration).order_by("-version").first()
                    if registration
                    else None
                )
                reads = ["/", reverse("reports:meeting_list", args=[branch.pk])]
                if pledge is not None:
                    reads.append(reverse("pledges:pledge_detail", args=[pledge.pk]))
                    if pledge.status != Pledge.Status.DRAFT:
                        reads.append(reverse("pledges:pledge_pdf", args=[pledge.pk]))
                people.append(
                    {
                        "kind": "reader",
                        "role": "secretary",
                        "session": _session(secretary),
                        "reads": reads,
                    }
                )
                meetings = list(
                    Meeting.objects.filter(branch=branch)
                    .order_by("-date")
                    .values_list("pk", flat=True)[:5]
                )
                signable = (
                    pledge is not None
                    and pledge.status == Pledge.Status.DRAFT
                    and (deadline := deadline_for(plan, branch, DeadlineExtension.Kind.SIGNING))
                    is not None
                    and deadline >= today
                )
                people.append(
                    {
                        "kind": "writer",
                        "role": "secretary",
                        "full_name": secretary.full_name,
                        "session": _session(secretary),
                        "writes": {
                            "meeting": [
                                reverse("reports:meeting_edit", args=[pk]) for pk in meetings
                            ],
                            "ratings": [reverse("reports:branch_ratings", args=[branch.pk])]
                            if Member.objects.filter(branch=branch, is_active=True).exists()
                            else [],
                            "sign": [reverse("pledges:pledge_sign", args=[pledge.pk])]
                            if signable
                            else [],
                        },
                    }
                )
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"password": "BonTot@2026", "people": people}, indent=1))
        readers = sum(1 for p in people if p["kind"] == "reader")
        writers = len(people) - readers
        signing = sum(1 for p in people if p.get("writes", {}).get("sign"))
        self.stdout.write(
            f"{out}: {len(communes)} xã, {readers} người đọc, {writers} người ghi ({signing} còn ký được)."
        )

    def _drain(self, seconds: int) -> None:
        """Wait for the task worker to finish what was queued before the run (documents a
        benchmark crawl sent to the worker, say): rendered during the run, they would take the
        cores the measured requests need."""
        deadline = time.monotonic() + seconds
        while (left := waiting_tasks()) and time.monotonic() < deadline:
            self.stderr.write(f"Chờ {left} tác vụ nền tồn đọng chạy xong…")
            time.sleep(5)
        if left:
            raise CommandError(f"Còn {left} tác vụ nền sau {seconds} giây: bài đo sẽ không sạch.")
