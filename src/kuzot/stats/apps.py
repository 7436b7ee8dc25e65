from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "kuzot.stats"
    label = "stats"

    def ready(self) -> None:
        from kuzot.accounts.keys import data_key_rotated
        from kuzot.stats import jobs  # noqa: F401  (declares its background jobs)
        from kuzot.stats.hidden import reseal_contributions

        data_key_rotated.connect(reseal_contributions, dispatch_uid="stats.reseal_contributions")
