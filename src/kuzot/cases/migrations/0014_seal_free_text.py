"""The free-text columns become sealed (their values were moved out by 0013)."""

from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError

import kuzot.accounts.vault

FREE_TEXT = {
    "allegation": {
        "district": models.CharField(blank=True, max_length=120, verbose_name="district"),
        "unit": models.CharField(blank=True, max_length=200, verbose_name="unit"),
    },
    "legalevent": {
        "article": models.CharField(
            blank=True, max_length=40, verbose_name="criminal code article"
        ),
        "sentence": models.CharField(blank=True, max_length=200, verbose_name="sentence"),
    },
}


def refuse_to_drop_sealed_values(apps, schema_editor):
    """Going back would drop what was sealed since: refuse rather than lose it."""
    sealed = {"case": ("external_reference",), **{m: tuple(f) for m, f in FREE_TEXT.items()}}
    for model, fields in sealed.items():
        for field in fields:
            rows = apps.get_model("cases", model).objects
            if rows.filter(**{f"{field}__isnull": False}).exists():
                raise IrreversibleError(
                    f"cases.{model}.{field} holds sealed values: going back would lose them"
                )


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_unsealed_values")]

    operations = [
        *[
            migrations.RemoveField(model_name=model, name=name)
            for model, fields in FREE_TEXT.items()
            for name in fields
        ],
        *[
            migrations.AddField(
                model_name=model, name=name, field=kuzot.accounts.vault.SealedField(null=True)
            )
            for model, fields in FREE_TEXT.items()
            for name in fields
        ],
        migrations.RunPython(migrations.RunPython.noop, refuse_to_drop_sealed_values),
    ]
