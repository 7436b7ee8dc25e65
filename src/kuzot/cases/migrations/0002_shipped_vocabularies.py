from django.db import migrations


def load_vocabularies(apps, schema_editor):
    from kuzot.cases.vocabularies import load

    load(apps.get_model("cases", "Term"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load_vocabularies, migrations.RunPython.noop)]
