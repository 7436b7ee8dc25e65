"""docs/security.md says why each clear column of the case register and of monitoring visits is
clear: a column added in the clear without a reason there fails here (and one sealed since is no
longer listed)."""

import re
from pathlib import Path

from django.apps import apps

from kuzot.accounts.vault import SealedField

DOC = Path(__file__).parents[2] / "docs" / "security.md"


def listed() -> set[str]:
    text = DOC.read_text()
    section = text.split("### What stays in the clear", 1)[1].split("\n### ", 1)[0]
    return set(re.findall(r"`(\w+\.[\w*]+)`", section))


def register_columns() -> tuple[set[str], set[str]]:
    """(clear, sealed) columns of the register's and the visits' models, as ``Model.field``."""
    clear, sealed = set(), set()
    models = [
        *apps.get_app_config("cases").get_models(),
        *apps.get_app_config("monitoring").get_models(),
    ]
    for model in models:
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if field.primary_key:
                continue
            name = f"{model.__name__}.{field.name}"
            (sealed if isinstance(field, SealedField) else clear).add(name)
    return clear, sealed


def test_every_clear_column_of_the_register_has_its_reason_in_the_security_doc():
    clear, sealed = register_columns()
    documented = listed()
    wildcards = {name.split(".")[0] for name in documented if name.endswith(".*")}
    missing = {c for c in clear if c not in documented and c.split(".")[0] not in wildcards}
    assert not missing, f"docs/security.md does not say why these are clear: {sorted(missing)}"
    assert not documented & sealed, "sealed, yet listed as clear"
    stale = {d for d in documented - clear if not d.endswith(".*")}
    assert not stale, f"listed as clear but no such column: {sorted(stale)}"
    assert not wildcards & {s.split(".")[0] for s in sealed}, "a model with sealed fields as *"
