from django.core.management.base import BaseCommand

from pledges.notifications import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn đăng ký và ký cam kết cho bí thư chi bộ. Chạy nhiều lần không gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="Nhắc khi còn từng này ngày hoặc ít hơn (mặc định 3).",
        )

    def handle(self, *args, days, **options):
        sent = send_deadline_reminders(days_before=days)
        self.stdout.write(f"Đã gửi {sent} thư nhắc.")
