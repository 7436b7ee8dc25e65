"""Convictions count by the final outcome (cases.stages.derive_steps): re-derive the conviction
dates of cases with an acquittal or a requalified conviction in their legal path.

Kept in the statistics app because it changes only what statistics count."""

from django.db import migrations

from kuzot.cases.stages import FINAL, derive_steps


def rederive(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    LegalEvent = apps.get_model("cases", "LegalEvent")
    touched = LegalEvent.objects.filter(kind__in=["acquittal", "conviction_lesser"])
    for case in Case.objects.filter(pk__in=touched.values("case_id")).iterator():
        derived = derive_steps(LegalEvent.objects.filter(case_id=case.pk))
        if any(getattr(case, step) != derived[step] for step in FINAL):
            Case.objects.filter(pk=case.pk).update(**{step: derived[step] for step in FINAL})


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_allegation_year_statistics"),
        ("stats", "0003_ledger"),
    ]

    operations = [migrations.RunPython(rederive, migrations.RunPython.noop)]
