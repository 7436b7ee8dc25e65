from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kuzot.accounts"
    label = "accounts"
