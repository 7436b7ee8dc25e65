import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import kuzot.accounts.vault


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_login_backoff"),
        ("cases", "0017_saved_filter"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Revision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_type", models.CharField(max_length=60)),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "change",
                    models.CharField(
                        choices=[
                            ("updated", "corrected"),
                            ("deleted", "deleted"),
                            ("merged", "merged into another record"),
                        ],
                        max_length=10,
                    ),
                ),
                ("fields", models.JSONField(default=list)),
                (
                    "clear",
                    models.JSONField(
                        default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
                    ),
                ),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("restored_at", models.DateTimeField(blank=True, null=True)),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="revisions",
                        to="cases.case",
                    ),
                ),
                (
                    "changed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "ordering": ["-changed_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="RevisionValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("field", models.CharField(max_length=60)),
                ("purpose", models.CharField(max_length=120)),
                ("value", kuzot.accounts.vault.SealedField(null=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sealed",
                        to="cases.revision",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(
                fields=["object_type", "object_id"], name="cases_revis_object__7b616d_idx"
            ),
        ),
    ]
