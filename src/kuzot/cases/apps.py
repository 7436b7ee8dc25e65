from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "kuzot.cases"
    label = "cases"

    def ready(self) -> None:
        from kuzot.accounts.keys import data_key_rotated
        from kuzot.cases.actions import reindex_names
        from kuzot.cases.evidence import reseal_evidence

        data_key_rotated.connect(reindex_names, dispatch_uid="cases.reindex_names")
        data_key_rotated.connect(reseal_evidence, dispatch_uid="cases.reseal_evidence")
