from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kuzot.monitoring"
    label = "monitoring"
