"""`make documents`: every kind of document, rendered from the demo data to PDF (and Word, where
offices finish it) with PNG pages beside, in one folder with an index page — to look at them all
in a minute. Run it on a scratch database with the demo loaded (the Makefile makes one); the
report it issues to show an issued report is rolled back."""

import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from branches.models import Organization, User
from criteria.documents import plan_docx
from criteria.models import Plan
from criteria.rules import Level
from criteria.selectors import plan_document
from pledges.documents import pledge_pdf, registration_list_pdf
from pledges.models import Pledge
from pledges.selectors import registration_rows
from rendering.pdf import render_pdf
from reports.ratings.collective import collective_report_save
from reports.ratings.documents import rating_results, rating_results_pdf
from reports.ratings.models import MemberRating, Rerating
from reports.ratings.services import ratings_save
from reports.reviews.documents import (
    assessment_pdf,
    decision_certificates_pdf,
    decision_docx,
    decision_pdf,
    self_assessment_pdf,
)
from reports.reviews.models import RecognitionDecision, Review
from reports.reviews.selectors import review_sheet
from reports.selfreviews.documents import (
    collective_report_pdf,
    rerating_pdf,
    review_records_pdf,
    round_votes_pdf,
    self_review_pdf,
)
from reports.selfreviews.models import SelfReview
from reports.summaries.documents import summary_docx, summary_pdf
from reports.summaries.selectors import SummaryFilters, summary_data
from reports.summaries.services import report_issue


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Render every kind of document from the demo data to PDF and PNG pages in a folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="var/documents", help="the folder (emptied first)")
        parser.add_argument("--resolution", type=int, default=60, help="PNG resolution (dpi)")

    def handle(self, *args, out, resolution, **options):
        if not shutil.which("pdftoppm"):
            raise CommandError("Cần pdftoppm (gói poppler-utils): make system-deps.")
        try:
            plan = Plan.objects.get(issuer__code="VP.VPTU", sequence=9)
        except Plan.DoesNotExist as error:
            raise CommandError("Chưa có dữ liệu mẫu: chạy manage.py load_demo trước.") from error
        folder = Path(out)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder, self.resolution, self.entries = folder, resolution, []
        staff = User.objects.get(username="canbo.vpvp")
        leader = User.objects.get(username="lanhdao.vpvp")

        doc = plan_document(plan)
        self.pdf("01-ke-hoach", "Kế hoạch (đã ban hành)", _plan_pdf(doc))
        self.word("01-ke-hoach", plan_docx(doc))
        plan.status = Plan.Status.DRAFT  # in memory only: how a draft plan looks
        self.pdf("02-ke-hoach-du-thao", "Kế hoạch (dự thảo)", _plan_pdf(plan_document(plan)))
        plan.refresh_from_db()
        self.pdf(
            "03-danh-sach-dang-ky",
            "Danh sách đăng ký",
            registration_list_pdf(plan, registration_rows(plan), plan.start_year).content,
        )
        pledge = Pledge.objects.filter(registration__plan=plan, status="accepted").first()
        self.pdf(
            "04-ban-cam-ket",
            "Bản cam kết (đã ký, đã xác nhận)",
            pledge_pdf(pledge, viewer=staff).content,
        )
        review = Review.objects.filter(registration__plan=plan, round="final", year=2022).first()
        sheet = review_sheet(review)
        self.pdf(
            "05-ban-tu-danh-gia",
            "Bản tự đánh giá (đã ký)",
            self_assessment_pdf(review, sheet, staff).content,
        )
        self.pdf("06-phieu-tham-dinh", "Phiếu thẩm định", assessment_pdf(review, sheet).content)
        data = summary_data(plan, 2022, "final", SummaryFilters())
        self.pdf("07-bao-cao-du-thao", "Báo cáo (dự thảo)", summary_pdf(data))
        try:
            with transaction.atomic():
                report = report_issue(
                    actor=leader,
                    plan=plan,
                    year=2022,
                    round="final",
                    scope=None,
                    issue_date=timezone.localdate(),
                    signer_name=plan.signer_name,
                    signer_title=plan.signer_title,
                    recipients=plan.recipients,
                    sections={
                        "results": "Các chi bộ duy trì nền nếp sinh hoạt, nâng cao chất lượng.",
                        "strengths": "Cấp ủy quan tâm lãnh đạo, chỉ đạo; đảng viên gương mẫu.",
                        "shortcomings": "Nội dung sinh hoạt chuyên đề ở một số chi bộ chưa sâu.",
                        "lessons": "Phát huy vai trò của bí thư chi bộ trong chuẩn bị sinh hoạt.",
                        "tasks": "Tiếp tục thực hiện mô hình trong các năm 2023–2025.",
                    },
                )
                self.pdf("08-bao-cao", "Báo cáo (đã ban hành)", summary_pdf(data, report))
                self.word("08-bao-cao", summary_docx(data, report))
                raise _Rollback
        except _Rollback:
            pass
        decision = RecognitionDecision.objects.get(plan=plan, year=2022)
        self.pdf(
            "09-quyet-dinh-cong-nhan",
            "Quyết định công nhận (đã ban hành)",
            decision_pdf(decision).content,
        )
        self.word("09-quyet-dinh-cong-nhan", decision_docx(decision))
        self.pdf(
            "12-giay-khen",
            "Giấy khen theo quyết định công nhận",
            decision_certificates_pdf(decision).content,
        )
        committee = Organization.objects.get(code="VP.VPTU")
        results = rating_results(committee, 2022)
        for kind, name, title in (
            (True, "10-quyet-dinh-xep-loai", "Quyết định công nhận kết quả xếp loại chất lượng"),
            (False, "11-danh-sach-xep-loai", "Danh sách kết quả xếp loại chất lượng"),
        ):
            document = rating_results_pdf(
                results,
                decision=kind,
                issue_date=timezone.localdate(),
                signer_name=plan.signer_name,
                proposer="Văn phòng Đảng ủy",
            )
            self.pdf(name, title, document.content)
        self.hd43(leader)
        self.index()
        self.stdout.write(f"{len(self.entries)} văn bản trong {folder}/ (mở index.html)")

    def hd43(self, leader: User) -> None:
        """The forms of Hướng dẫn 43-HD/BTCTW: Quế Phú's self-reviews of 2023 (signed by a member,
        and written for one), the branch's list of votes, the year's records; a re-rating of
        Vĩnh Phúc's 2022 and a collective's report, made for the occasion and rolled back."""
        secretary = User.objects.get(username="bithu.quephu01")
        branch = Organization.objects.get(code="QS.QP.01")
        own = SelfReview.objects.filter(branch=branch, status="submitted", on_behalf_by=None)
        self.pdf(
            "13-ban-kiem-diem",
            "Bản kiểm điểm, tự đánh giá, xếp loại cá nhân (Mẫu 2C, đã ký)",
            self_review_pdf(own.order_by("pk").first(), secretary).content,
        )
        written_for = SelfReview.objects.exclude(on_behalf_by=None).filter(branch=branch).first()
        self.pdf(
            "14-ban-kiem-diem-lap-thay",
            "Bản kiểm điểm lập thay cho đảng viên (đã ký)",
            self_review_pdf(written_for, secretary).content,
        )
        self.pdf(
            "15-bieu-quyet-xep-loai",
            "Danh sách kết quả kiểm điểm và biểu quyết của chi bộ",
            round_votes_pdf(written_for.round, branch).content,
        )
        self.pdf(
            "17-danh-muc-ho-so",
            "Danh mục hồ sơ kiểm điểm, đánh giá, xếp loại (Mẫu 04)",
            review_records_pdf(Organization.objects.get_parent(branch), 2023).content,
        )
        try:
            with transaction.atomic():
                rating = (
                    MemberRating.objects.filter(
                        branch__code="VP.VPTU.02", year=2022, decided_level=Level.EXCELLENT
                    )
                    .order_by("pk")
                    .first()
                )
                ratings_save(
                    actor=leader,
                    branch=rating.branch,
                    year=2022,
                    column="decided",
                    levels={rating.member_id: Level.GOOD},
                    reason="Kết luận kiểm tra của Ủy ban Kiểm tra Đảng ủy ngày 15/3/2023",
                )
                self.pdf(
                    "16-quyet-dinh-xep-loai-lai",
                    "Quyết định đánh giá, xếp loại lại (Mẫu 03, dự thảo)",
                    rerating_pdf(Rerating.objects.latest("pk")).content,
                )
                report = collective_report_save(
                    actor=secretary,
                    organization=branch,
                    year=2023,
                    subject="organization",
                    sections={
                        "results": "Chi bộ lãnh đạo hoàn thành các chỉ tiêu nghị quyết năm 2023.",
                        "shortcomings": "Sinh hoạt chuyên đề có kỳ chưa sâu.",
                        "causes": "Chuẩn bị nội dung chưa kỹ.",
                        "fixes": "Hạn chế năm 2022 đã khắc phục.",
                        "remedies": "Phân công chi ủy viên chuẩn bị từng chuyên đề.",
                    },
                )
                self.pdf(
                    "18-bao-cao-kiem-diem-tap-the",
                    "Báo cáo kiểm điểm, tự đánh giá, xếp loại của tập thể (Mẫu 01, dự thảo)",
                    collective_report_pdf(report, secretary).content,
                )
                raise _Rollback
        except _Rollback:
            pass

    def pdf(self, name: str, title: str, content: bytes) -> None:
        path = self.folder / f"{name}.pdf"
        path.write_bytes(content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(self.resolution), str(path), str(self.folder / name)],
            check=True,
        )
        pages = sorted(p.name for p in self.folder.glob(f"{name}-*.png"))
        self.entries.append((title, path.name, pages))

    def word(self, name: str, content: bytes) -> None:
        """The Word copy beside its PDF (listed with it on the index page)."""
        (self.folder / f"{name}.docx").write_bytes(content)
        title, pdf, pages = self.entries[-1]
        self.entries[-1] = (title, pdf, pages, f"{name}.docx")

    def index(self) -> None:
        parts = ["<!doctype html><meta charset='utf-8'><title>Bốn Tốt — văn bản</title>"]
        for title, pdf, pages, *word in self.entries:
            links = " · ".join(f"<a href='{name}'>{name}</a>" for name in [pdf, *word])
            parts.append(f"<h2>{escape(title)} — {links}</h2>")
            parts.extend(
                f"<img src='{page}' alt='{escape(title)}' style='border:1px solid #999;margin:4px'>"
                for page in pages
            )
        (self.folder / "index.html").write_text("\n".join(parts), encoding="utf-8")


def _plan_pdf(doc) -> bytes:
    return render_pdf("criteria/pdf/plan.html", {"doc": doc}, filename="x.pdf").content
