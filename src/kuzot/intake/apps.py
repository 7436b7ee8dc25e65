from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "kuzot.intake"
    label = "intake"

    def ready(self) -> None:
        from kuzot.accounts.keys import data_key_rotated, keypair_replaced, member_removed
        from kuzot.intake import actions

        data_key_rotated.connect(
            actions.reseal_for_organisation, dispatch_uid="intake.reseal_for_organisation"
        )
        keypair_replaced.connect(
            actions.reseal_for_recipient, dispatch_uid="intake.reseal_for_recipient"
        )
        member_removed.connect(actions.forget_recipient, dispatch_uid="intake.forget_recipient")
