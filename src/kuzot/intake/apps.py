from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "kuzot.intake"
    label = "intake"
