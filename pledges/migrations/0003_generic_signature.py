"""Signatures point at the signed document generically (a pledge version, or a self-assessment),
with a sequence for documents signed again after being returned."""

import django.db.models.deletion
from django.db import migrations, models


def pledges_to_generic(apps, schema_editor):
    Signature = apps.get_model("pledges", "Signature")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Signature.objects.exists():
        return
    pledge_type, _created = ContentType.objects.get_or_create(app_label="pledges", model="pledge")
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        # The evidence rows are frozen by a trigger; this one-off move of the link is the only
        # change ever made to them, inside this migration's transaction.
        if postgres:
            cursor.execute("ALTER TABLE pledges_signature DISABLE TRIGGER signature_frozen")
        cursor.execute(
            "UPDATE pledges_signature SET content_type_id = %s, object_id = pledge_id", [pledge_type.pk]
        )
        if postgres:
            cursor.execute("ALTER TABLE pledges_signature ENABLE TRIGGER signature_frozen")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("pledges", "0002_immutability_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="content_type",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AddField(model_name="signature", name="object_id", field=models.PositiveBigIntegerField(null=True)),
        migrations.AddField(model_name="signature", name="sequence", field=models.PositiveSmallIntegerField(default=1)),
        migrations.RunPython(pledges_to_generic, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="signature", name="signature_once_per_role"),
        migrations.RemoveField(model_name="signature", name="pledge"),
        migrations.AlterField(
            model_name="signature",
            name="content_type",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AlterField(model_name="signature", name="object_id", field=models.PositiveBigIntegerField()),
        migrations.AlterField(
            model_name="signature",
            name="role",
            field=models.CharField(choices=[("signer", "Người ký"), ("countersigner", "Xác nhận của cấp ủy")], max_length=16),
        ),
        migrations.AddIndex(model_name="signature", index=models.Index(fields=["content_type", "object_id"], name="signature_document")),
        migrations.AddConstraint(
            model_name="signature",
            constraint=models.UniqueConstraint(fields=("content_type", "object_id", "role", "sequence"), name="signature_once_per_role"),
        ),
    ]
