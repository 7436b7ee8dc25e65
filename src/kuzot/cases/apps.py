from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _refresh_after_migrating(sender, *, plan=None, **kwargs) -> None:
    """A migration may rebuild a table (SQLite loses its planner statistics with it) or fill
    a column in every row: the planner needs fresh statistics, as after a bulk import."""
    if plan:
        from kuzot.cases.actions import refresh_statistics

        refresh_statistics()


class CasesConfig(AppConfig):
    name = "kuzot.cases"
    label = "cases"

    def ready(self) -> None:
        from kuzot.accounts.keys import data_key_rotated
        from kuzot.cases import jobs, legacy  # noqa: F401  (jobs declares its background jobs)
        from kuzot.cases.actions import reindex_names, rekey_imports, reseal_shares
        from kuzot.cases.evidence import reseal_evidence

        data_key_rotated.connect(reindex_names, dispatch_uid="cases.reindex_names")
        data_key_rotated.connect(rekey_imports, dispatch_uid="cases.rekey_imports")
        data_key_rotated.connect(legacy.seal_at_rotation, dispatch_uid="cases.seal_at_rotation")
        user_logged_in.connect(legacy.seal_at_login, dispatch_uid="cases.seal_at_login")
        data_key_rotated.connect(reseal_evidence, dispatch_uid="cases.reseal_evidence")
        data_key_rotated.connect(reseal_shares, dispatch_uid="cases.reseal_shares")
        post_migrate.connect(
            _refresh_after_migrating, sender=self, dispatch_uid="cases.refresh_after_migrating"
        )
