from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kuzot.jobs"
    label = "jobs"
