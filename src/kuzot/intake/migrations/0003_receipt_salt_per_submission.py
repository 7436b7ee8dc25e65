"""Each submission keeps its receipt's salt and Argon2id work factors.

Complaints received before this used one salt for every receipt and whatever work factors were
in force; they keep them (the factors in force now, when this migration runs), have no tag, and
are found by one derivation for all of them (intake/actions.py: open_as_submitter)."""

from django.conf import settings
from django.db import migrations, models

GLOBAL_RECEIPT_SALT = b"kuzot complaint receipt v1"


def keep_the_old_derivation(apps, schema_editor):
    Submission = apps.get_model("intake", "Submission")
    Submission.objects.update(receipt_salt=GLOBAL_RECEIPT_SALT, receipt_kdf=dict(settings.KUZOT_KDF))


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_submission_sealed_to_organisation"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="receipt_kdf",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="submission",
            name="receipt_salt",
            field=models.BinaryField(default=b""),
        ),
        migrations.AddField(
            model_name="submission",
            name="receipt_tag",
            field=models.CharField(blank=True, db_index=True, max_length=4),
        ),
        migrations.RunPython(keep_the_old_derivation, migrations.RunPython.noop),
    ]
