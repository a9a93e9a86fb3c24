"""The signature record moves here from pledges: the same table (pledges_signature), the same rows
and triggers; nothing in the database changes."""

import django.db.models.deletion
import vietnamese.fields
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """The content type (and so the admin's log entries and permissions) follows the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="partydocs", model="signature").exists():
        ContentType.objects.filter(app_label="pledges", model="signature").update(app_label="partydocs")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('pledges', '0003_generic_signature'),
    ]

    operations = [
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Signature',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('role', models.CharField(choices=[('signer', 'Người ký'), ('countersigner', 'Xác nhận của cấp ủy')], max_length=16)),
                        ('sequence', models.PositiveSmallIntegerField(default=1)),
                        ('full_name', vietnamese.fields.NFCCharField(max_length=150, verbose_name='Họ và tên người ký')),
                        ('position', vietnamese.fields.NFCCharField(max_length=150, verbose_name='Chức vụ')),
                        ('signed_at', models.DateTimeField(verbose_name='Thời điểm ký (giờ máy chủ)')),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='Địa chỉ IP')),
                        ('user_agent', models.CharField(blank=True, max_length=400, verbose_name='Trình duyệt')),
                        ('method', models.CharField(max_length=120, verbose_name='Cách ký')),
                        ('canonical', models.TextField(verbose_name='Nội dung đã ký (JSON chuẩn hóa)')),
                        ('content_hash', models.CharField(max_length=64, verbose_name='SHA-256 của nội dung')),
                        ('drawing', models.BinaryField(blank=True, null=True, verbose_name='Hình chữ ký')),
                        ('code', models.CharField(max_length=32, unique=True, verbose_name='Mã xác minh')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'chữ ký',
                        'verbose_name_plural': 'chữ ký',
                        'db_table': 'pledges_signature',
                        'ordering': ['signed_at'],
                        'indexes': [models.Index(fields=['content_type', 'object_id'], name='signature_document')],
                        'constraints': [models.UniqueConstraint(fields=('content_type', 'object_id', 'role', 'sequence'), name='signature_once_per_role')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
