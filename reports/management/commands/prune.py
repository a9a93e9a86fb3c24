"""Delete old task results and background documents, and expired sessions (run daily from a
systemd timer or cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reports.summaries.maintenance import prune


class Command(BaseCommand):
    help = (
        "Xóa kết quả tác vụ nền và tài liệu tạo nền (bản ghi và tệp) cũ hơn N ngày, "
        "các phiên đăng nhập đã hết hạn và thư đã gửi xong. "
        "Tài liệu đã ban hành và chữ ký không bị động tới."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="Xóa những gì cũ hơn từng này ngày (mặc định 30)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không xóa gì.")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days phải từ 1 trở lên.")
        report = prune(older_than=datetime.timedelta(days=days), dry_run=dry_run)
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(
            f"{verb} (cũ hơn {days} ngày): {report.task_results} kết quả tác vụ nền, "
            f"{report.documents} tài liệu tạo nền, {report.files} tệp ({report.bytes} byte); "
            f"{report.sessions} phiên đăng nhập đã hết hạn; {report.mails} thư đã gửi."
        )
