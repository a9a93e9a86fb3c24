from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import current
from demo import organizations as demo

# Each app adds its part of the demo on top of the previous ones, in this order.
LOADERS = ["demo.plans", "demo.pledges", "demo.year", "demo.selfreviews", "demo.current"]


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (Quế Phú, Vĩnh Phúc; Đảng bộ xã Quế Sơn của năm nay) và các tài khoản "
        "demo. Chạy lại không tạo trùng."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Dữ liệu và tài khoản demo chỉ được tạo ở chế độ demo (đặt BONTOT_DEMO=1)."
            )
        with transaction.atomic():
            logins = demo.load()
            for loader in LOADERS:
                import_module(loader).load()
        logins += current.LOGINS
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu. Tài khoản demo (mật khẩu chung: {demo.DEMO_PASSWORD}):"
            )
        )
        width = max(len(row["username"]) for row in logins)
        for row in logins:
            self.stdout.write(
                f"  {row['username']:<{width}}  {row['role']} — {row['organization']}"
            )
