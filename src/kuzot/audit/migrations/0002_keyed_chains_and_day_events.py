"""Key the audit log: both chains' hashes become HMACs under the audit key (settings), each
head gets a MAC, and events known by their date only get a chain of their own (DayEvent).
Existing events are re-keyed after their unkeyed chain is checked; the result is recorded in
the log (kuzot.audit.log.rekey)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from kuzot.audit.log import rekey


def key_existing_events(apps, schema_editor):
    rekey(
        "",
        chain_models={
            "timed": apps.get_model("audit", "AuditEvent"),
            "daily": apps.get_model("audit", "DayEvent"),
        },
        head_model=apps.get_model("audit", "AuditHead"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisation_keypair"),
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="chain",
            field=models.CharField(
                choices=[("timed", "timed events"), ("daily", "events known by their date only")],
                default="timed",
                max_length=5,
                unique=True,
            ),
        ),
        migrations.AddField(
            model_name="audithead",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="audithead",
            name="mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.CreateModel(
            name="DayEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("actor_name", models.CharField(blank=True, max_length=150)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("create", "created"),
                            ("update", "updated"),
                            ("delete", "deleted"),
                            ("view_identity", "viewed identity"),
                            ("view", "viewed without identity"),
                            ("view_denied", "was refused a record"),
                            ("export", "exported"),
                            ("login", "logged in"),
                            ("login_failed", "failed login"),
                            ("logout", "logged out"),
                            ("keys", "key management"),
                        ],
                        max_length=20,
                    ),
                ),
                ("object_type", models.CharField(blank=True, max_length=60)),
                ("object_id", models.CharField(blank=True, max_length=40)),
                ("detail", models.JSONField(blank=True, default=dict)),
                ("previous_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
                ("on", models.DateField(default=django.utils.timezone.localdate)),
                (
                    "actor",
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
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "abstract": False,
                "indexes": [
                    models.Index(
                        fields=["organisation", "id"], name="audit_dayev_organis_e101e4_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(key_existing_events, migrations.RunPython.noop),
    ]
