import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_revisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="placeofdetention",
            name="address",
            field=models.CharField(blank=True, max_length=500, verbose_name="address"),
        ),
        migrations.AddField(
            model_name="placeofdetention",
            name="authority",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"vocabulary": "agency"},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.term",
                verbose_name="authority",
            ),
        ),
        migrations.AddField(
            model_name="placeofdetention",
            name="capacity",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="capacity"),
        ),
        migrations.AlterField(
            model_name="placeofdetention",
            name="name_en",
            field=models.CharField(max_length=300, verbose_name="name in English"),
        ),
        migrations.AlterField(
            model_name="placeofdetention",
            name="name_ru",
            field=models.CharField(max_length=300, verbose_name="name in Russian"),
        ),
    ]
