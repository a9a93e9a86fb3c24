"""Render one background document (run by the task in a child process, under its limits)."""

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.http import QueryDict
from django.utils import timezone, translation

from criteria.models import Plan
from reports.summaries.documents import summary_document
from reports.summaries.exports import BUILDERS
from reports.summaries.models import GeneratedDocument, SummaryReport
from reports.summaries.selectors import SummaryFilters, summary_data


class Command(BaseCommand):
    help = "Tạo một tài liệu nền (do tiến trình nền gọi)."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id, **options):
        job = GeneratedDocument.objects.get(pk=job_id)
        params = job.params
        content = self._export(job) if job.kind in BUILDERS else self._summary(job, params)
        self._progress(job, 90)
        job.file.save(f"{job.key}.{job.fmt}", ContentFile(content), save=False)
        GeneratedDocument.objects.filter(pk=job.pk).update(
            file=job.file.name,
            size=len(content),
            status=GeneratedDocument.Status.READY,
            progress=100,
            finished_at=timezone.now(),
            message="",
        )

    def _export(self, job) -> bytes:
        """A list as the person who asked sees it (their scope, their filters), written by the
        same builder as the page's own download (reports.summaries.exports)."""
        builder = BUILDERS[job.kind]
        with translation.override("vi"):
            found = builder(job.requested_by, QueryDict(job.params["query"]), job.fmt)
            self._progress(job, 30)
            return found.write()

    def _summary(self, job, params) -> bytes:
        plan = Plan.objects.select_related("issuer").get(pk=params["plan"])
        data = summary_data(
            plan, params["year"], params["round"], SummaryFilters(**params["filters"])
        )
        self._progress(job, 30)
        report = (
            SummaryReport.objects.filter(pk=params.get("report")).first()
            if params.get("report")
            else None
        )
        return summary_document(data, report, job.fmt)

    @staticmethod
    def _progress(job, value):
        GeneratedDocument.objects.filter(pk=job.pk).update(progress=value)
