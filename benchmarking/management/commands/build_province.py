"""Build a synthetic province of any size, for performance work (see docs/benchmarks.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarking.province import PRE_2025, TODAY_2025, ProvinceSpec, build
from demo.organizations import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Tạo một tỉnh tổng hợp (tổ chức, đảng viên, kế hoạch, đăng ký, cam kết đã ký, sinh hoạt, "
        "xếp loại, đánh giá) bằng chèn hàng loạt, để đo hiệu năng. Chỉ ở chế độ demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--structure",
            choices=[TODAY_2025, PRE_2025],
            default=TODAY_2025,
            help="tổ chức từ 1/7/2025 (mặc định: tỉnh → xã, phường và các đảng bộ khối) "
            "hoặc trước đó (tỉnh → huyện → xã), để so sánh",
        )
        parser.add_argument(
            "--committees",
            type=int,
            default=130,
            help="đảng bộ xã, phường, đặc khu (trước 2025: đảng bộ cơ sở)",
        )
        parser.add_argument(
            "--blocks",
            type=int,
            default=None,
            help="đảng bộ cơ sở trong các đảng bộ khối (mặc định: 1 trên 4 xã)",
        )
        parser.add_argument("--branches", type=int, default=5000, help="chi bộ")
        parser.add_argument("--members", type=int, default=150_000, help="đảng viên")
        parser.add_argument("--years", type=int, default=1, help="số năm, đến năm nay")
        parser.add_argument(
            "--districts", type=int, default=None, help="đảng bộ huyện (trước 2025)"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--code", default="PV", help="mã của tỉnh (gốc của cây)")
        parser.add_argument("--name", default="Tổng Hợp", help="tên tỉnh")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Tài khoản của tỉnh tổng hợp có mật khẩu chung; chỉ tạo ở chế độ demo "
                "(đặt BONTOT_DEMO=1)."
            )
        spec = ProvinceSpec(
            committees=options["committees"],
            branches=options["branches"],
            members=options["members"],
            years=options["years"],
            structure=options["structure"],
            blocks=options["blocks"],
            districts=options["districts"],
            seed=options["seed"],
            code=options["code"],
            name=options["name"],
        )
        if spec.years < 1 or spec.committees < 1:
            raise CommandError("Cần ít nhất một năm và một đảng bộ xã (hoặc đảng bộ cơ sở).")
        try:
            built = build(spec, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        total = sum(built.timings.values())
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo {built.root.name} ({built.root.code}) trong {total:.1f} s:")
        )
        for name, count in built.counts.items():
            self.stdout.write(f"  {name}: {count:,}")
        self.stdout.write(
            f"Tài khoản: theodoi.{spec.code.lower()} (cán bộ theo dõi toàn tỉnh), "
            f"canbo.… / lanhdao.… / bithu.…; mật khẩu chung {DEMO_PASSWORD}."
        )
