"""MemberStanding, from reports (its 0017): added to this app's state only, over the tables that
exist already (db_table keeps their names)."""

import django.db.models.deletion
import simple_history.models
import vietnamese.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('branches', '0003_membercount'),
        # After the tables exist and reports has let go of the model (its 0010 and 0017).
        ('reports', '0017_member_standing_moved_to_branches'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalMemberStanding',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('exempt', 'Miễn công tác và sinh hoạt đảng'), ('suspended', 'Đình chỉ sinh hoạt đảng'), ('attached', 'Sinh hoạt tạm thời nơi khác')], max_length=12, verbose_name='Diện')),
                        ('start_date', models.DateField(verbose_name='Từ ngày')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='Đến ngày')),
                        ('decision', vietnamese.fields.NFCTextField(verbose_name='Quyết định (số, ngày, cơ quan)')),
                        ('recorded_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.member')),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical diện không đánh giá của đảng viên',
                        'verbose_name_plural': 'historical diện không đánh giá của đảng viên',
                        'db_table': 'reports_historicalmemberstanding',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='MemberStanding',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('exempt', 'Miễn công tác và sinh hoạt đảng'), ('suspended', 'Đình chỉ sinh hoạt đảng'), ('attached', 'Sinh hoạt tạm thời nơi khác')], max_length=12, verbose_name='Diện')),
                        ('start_date', models.DateField(verbose_name='Từ ngày')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='Đến ngày')),
                        ('decision', vietnamese.fields.NFCTextField(verbose_name='Quyết định (số, ngày, cơ quan)')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='standings', to='branches.member')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'diện không đánh giá của đảng viên',
                        'verbose_name_plural': 'diện không đánh giá của đảng viên',
                        'db_table': 'reports_memberstanding',
                        'constraints': [models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='standing_ends_after_start')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
