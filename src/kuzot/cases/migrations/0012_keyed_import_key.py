"""Import keys become keyed digests (actions.import_key) of a fingerprint kept sealed.

The keys written before were unkeyed SHA-256 digests: for a row without a reference, of its
whole content with the victim's name, which a small dictionary of names recovered from the
database alone. A migration holds no key, so it can neither seal nor re-key them: it deletes
them. The cost (docs/import.md): such a row, imported again, becomes a second case. The keys of
rows imported by their own reference hash only that reference, which the case holds in the
clear anyway: they stay until 0013 moves the reference out to be sealed.
"""

import hashlib
import json
import re
import unicodedata

from django.db import migrations

import kuzot.accounts.vault


def _normalise(text: str) -> str:
    """The import's normalisation of a reference when the keys were written (frozen here)."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def reference_key(organisation_id: int, reference: str) -> str:
    """The unkeyed key an import gave a row by its reference."""
    basis = ["ref", _normalise(reference)]
    payload = json.dumps([organisation_id, basis], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def delete_name_digests(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    imported = Case.objects.exclude(import_key="").values_list(
        "pk", "organisation_id", "reference", "import_key"
    )
    over_names = [
        pk
        for pk, organisation_id, reference, key in imported.iterator()
        if key != reference_key(organisation_id, reference)
    ]
    for start in range(0, len(over_names), 500):
        Case.objects.filter(pk__in=over_names[start : start + 500]).update(import_key="")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_allegation_year_statistics")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="import_fingerprint",
            field=kuzot.accounts.vault.SealedField(null=True),
        ),
        migrations.RunPython(delete_name_digests, migrations.RunPython.noop),
    ]
