"""Second-factor secrets are sealed under each user's private key. A secret enrolled before
keeps its clear column, renamed legacy_totp_secret, until the user's next login seals it
(nothing here can: the private keys open only with the users' passwords)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_analysts_hold_no_key")]

    operations = [
        migrations.RenameField("user", "totp_secret", "legacy_totp_secret"),
        migrations.AddField(
            model_name="user",
            name="sealed_totp_secret",
            field=models.BinaryField(editable=False, null=True),
        ),
    ]
