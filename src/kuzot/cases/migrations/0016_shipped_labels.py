from django.db import migrations


def load(apps, schema_editor):
    from kuzot.cases.translations import load_shipped

    load_shipped(apps.get_model("cases", "Term"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_labels_in_every_language")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
