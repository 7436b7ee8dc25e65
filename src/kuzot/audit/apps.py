from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def audit_key_outside_the_data_folder(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """In production the audit key must not sit beside the database it protects."""
    if settings.PRODUCTION and settings.KUZOT_AUDIT_KEY_FROM_DATA_DIR:
        return [
            checks.Warning(
                "The audit log is keyed with the audit_key file in the data folder: whoever "
                "can write the database there can also rewrite the log.",
                hint="Set KUZOT_AUDIT_KEY in /etc/kuzot/env (see docs/deploy.md).",
                id="kuzot.W001",
            )
        ]
    return []


class AuditConfig(AppConfig):
    name = "kuzot.audit"
    label = "audit"
