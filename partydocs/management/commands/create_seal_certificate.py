from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partydocs.sealing import create_self_signed


class Command(BaseCommand):
    help = (
        "Tạo khóa và chứng thư tự ký để niêm phong (PAdES) văn bản đã ký — cho demo và thử nghiệm. "
        "Triển khai thật dùng chứng thư của tổ chức cung cấp dịch vụ chứng thực (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization", default="Bốn Tốt (demo)", help="Tên tổ chức trong chứng thư."
        )
        parser.add_argument("--common-name", default="Bốn Tốt — niêm phong văn bản (tự ký)")
        parser.add_argument("--key", default=str(settings.BONTOT_SEAL_KEY))
        parser.add_argument("--cert", default=str(settings.BONTOT_SEAL_CERT))
        parser.add_argument(
            "--if-missing", action="store_true", help="Không làm gì nếu chứng thư đã có."
        )
        parser.add_argument("--force", action="store_true", help="Ghi đè chứng thư đang có.")

    def handle(self, *args, organization, common_name, key, cert, if_missing, force, **options):
        key_path, cert_path = Path(key), Path(cert)
        if cert_path.exists() and not force:
            if if_missing:
                return
            raise CommandError(
                f"Đã có chứng thư {cert_path}. Dùng --force để thay (văn bản cũ cần chứng thư cũ để xác minh)."
            )
        password = settings.BONTOT_SEAL_KEY_PASSWORD.encode() or None
        create_self_signed(
            common_name=common_name,
            organization=organization,
            key_path=key_path,
            cert_path=cert_path,
            password=password,
        )
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {cert_path} và {key_path}."))
