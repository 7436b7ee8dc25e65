from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kuzot.ops"
    label = "ops"
    verbose_name = "Operations: serve, demo, backup, restore"
