from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kuzot.audit"
    label = "audit"
