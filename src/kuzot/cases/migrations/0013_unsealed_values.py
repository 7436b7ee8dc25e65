"""Free text leaves the clear columns: district and unit of an act, article and sentence of a
legal event, and the reference a case was imported under (a court or NGO file number may
identify someone) are sealed from now on (0014 makes the columns sealed).

A migration holds no key, so it cannot seal: it moves every such value, as it is, to
``UnsealedValue``, from where ``cases.legacy.seal_pending`` seals it into its field at the first
chance (the next login of a member holding the key, ``kuzot seal_pending``, a key rotation).
Nothing is dropped. Until then the values are exactly as exposed as before the upgrade.

A case imported by its own reference keeps that reference as its number until it is sealed;
its unkeyed import key (a digest of the reference only: see 0012) is deleted, and the keyed
one is computed when the reference is sealed.
"""

from django.db import migrations, models
from django.db.models import Q

import kuzot.accounts.vault

FREE_TEXT = {"allegation": ("district", "unit"), "legalevent": ("article", "sentence")}


def move_free_text(apps, schema_editor):
    UnsealedValue = apps.get_model("cases", "UnsealedValue")
    Case = apps.get_model("cases", "Case")
    batch = []

    def keep(organisation_id: int, model: str, pk: int, field: str, value: str) -> None:
        batch.append(
            UnsealedValue(
                organisation_id=organisation_id,
                model=f"cases.{model}",
                object_id=pk,
                field=field,
                value=value,
            )
        )
        if len(batch) >= 1000:
            UnsealedValue.objects.bulk_create(batch)
            batch.clear()

    for model, fields in FREE_TEXT.items():
        written = Q()
        for field in fields:
            written |= ~Q(**{field: ""})
        rows = apps.get_model("cases", model).objects.filter(written)
        for row in rows.values("pk", "organisation_id", *fields).iterator():
            for field in fields:
                if row[field]:
                    keep(row["organisation_id"], model, row["pk"], field, row[field])
    # What 0012 left of the import keys are the digests of rows imported by their reference.
    imported = Case.objects.exclude(import_key="")
    for pk, organisation_id, reference in imported.values_list(
        "pk", "organisation_id", "reference"
    ).iterator():
        keep(organisation_id, "case", pk, "external_reference", reference)
    UnsealedValue.objects.bulk_create(batch)
    imported.update(import_key="")


def put_back(apps, schema_editor):
    """Values not sealed yet go back to their clear columns (a reference back to its key)."""
    import importlib

    reference_key = importlib.import_module(
        "kuzot.cases.migrations.0012_keyed_import_key"
    ).reference_key
    UnsealedValue = apps.get_model("cases", "UnsealedValue")
    for value in UnsealedValue.objects.iterator():
        model = apps.get_model(value.model)
        if value.field == "external_reference":
            model.objects.filter(pk=value.object_id).update(
                import_key=reference_key(value.organisation_id, value.value)
            )
        else:
            model.objects.filter(pk=value.object_id).update(**{value.field: value.value})


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_keyed_import_key")]

    operations = [
        migrations.CreateModel(
            name="UnsealedValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("model", models.CharField(max_length=100)),
                ("object_id", models.PositiveBigIntegerField()),
                ("field", models.CharField(max_length=60)),
                ("value", models.TextField()),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["organisation", "id"], name="cases_unsea_organis_5e57ef_idx"
                    )
                ]
            },
        ),
        migrations.AddField(
            model_name="case",
            name="external_reference",
            field=kuzot.accounts.vault.SealedField(null=True),
        ),
        migrations.RunPython(move_free_text, put_back),
    ]
