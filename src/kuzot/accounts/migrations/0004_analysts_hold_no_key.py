"""Analysts compute statistics, which need no key: the data keys granted to them before, and
those that pending invitations for analysts carry, are deleted."""

from django.db import migrations


def forget_analysts_keys(apps, schema_editor):
    KeyGrant = apps.get_model("accounts", "KeyGrant")
    Invitation = apps.get_model("accounts", "Invitation")
    KeyGrant.objects.filter(user__role="analyst").delete()
    Invitation.objects.filter(role="analyst").update(key=None, wrapped_key=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_invitation_without_key")]

    operations = [migrations.RunPython(forget_analysts_keys, migrations.RunPython.noop)]
