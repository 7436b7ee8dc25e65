from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "kuzot.stats"
    label = "stats"
