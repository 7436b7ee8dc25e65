"""Acts keep what statistics count them by of their victim (Allegation.victim_copies)."""

from django.db import migrations, models
from django.db.models import ExpressionWrapper, F, OuterRef, Subquery
from django.db.models.functions import ExtractYear

GROUPS = ("minor", "disability", "lgbti", "migrant", "defender", "ethnic_minority")


def copy_from_victims(apps, schema_editor):
    """Acts recorded before: their victim's copies, in one UPDATE."""
    Allegation = apps.get_model("cases", "Allegation")
    Person = apps.get_model("cases", "Person")
    victim = Person.objects.filter(pk=OuterRef("victim_id"))
    Allegation.objects.filter(victim__isnull=False).update(
        victim_sex=Subquery(victim.values("sex")),
        victim_age=ExpressionWrapper(
            ExtractYear(F("date")) - Subquery(victim.values("birth_year")),
            output_field=models.SmallIntegerField(),
        ),
        **{f"victim_{group}": Subquery(victim.values(group)) for group in GROUPS},
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_act_type_link_index")]

    operations = [
        migrations.AddField(
            model_name="allegation",
            name="victim_sex",
            field=models.CharField(
                blank=True,
                choices=[("F", "female"), ("M", "male"), ("X", "other"), ("", "unknown")],
                editable=False,
                max_length=1,
            ),
        ),
        migrations.AddField(
            model_name="allegation",
            name="victim_age",
            field=models.SmallIntegerField(blank=True, editable=False, null=True),
        ),
        *[
            migrations.AddField(
                model_name="allegation",
                name=f"victim_{group}",
                field=models.BooleanField(default=False, editable=False),
            )
            for group in GROUPS
        ],
        migrations.RunPython(copy_from_victims, migrations.RunPython.noop),
    ]
