"""Passwords that leaked from other sites are refused wherever a password is chosen: they are
what an attacker with a copy of the database tries first against the wrapped keys."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kuzot.accounts.models import Role, User
from tests.accounts.test_invitations import accept, invite
from tests.conftest import PASSWORD

# In breach compilations, 12 characters or more, and not in Django's list of 20,000.
LEAKED = ["iloveyou1234", "trustno1trustno1", "MyPassword123", "passwordpassword"]
PASSPHRASE = "kettle orbit walnut 9"


@pytest.mark.parametrize("leaked", LEAKED)
def test_a_new_colleague_cannot_choose_a_leaked_password(world, signed_in, leaked):
    link = invite(signed_in("a-coordinator"), Role.LAWYER)
    response = accept(link, "a-newcomer", leaked)
    assert response.status_code == 200 and "leaked" in response.content.decode()
    assert not User.objects.filter(username="a-newcomer").exists()
    assert accept(link, "a-newcomer", PASSPHRASE).status_code == 302


def test_a_leaked_password_is_refused_on_change_and_on_reset(world, signed_in):
    client = signed_in("a-doctor")
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password": LEAKED[0]}
    )
    assert response.status_code == 200 and "leaked" in response.content.decode()
    doctor = world.user("a-doctor")
    response = signed_in("a-coordinator").post(
        reverse("reset_password", args=[doctor.pk]), {"new_password": LEAKED[1]}
    )
    assert response.status_code == 200 and "leaked" in response.content.decode()
    assert User.objects.get(pk=doctor.pk).check_password(PASSWORD)


def test_recovery_and_a_new_administrator_refuse_a_leaked_password(world, tmp_path):
    key_file, password_file = tmp_path / "recovery", tmp_path / "password"
    key_file.write_text(world.recovery_keys["a"])
    password_file.write_text(LEAKED[2])
    with pytest.raises(CommandError, match="leaked"):
        call_command(
            "keys", "recover", "--organisation", "a", "--user", "a-coordinator",
            "--recovery-key-file", str(key_file), "--new-password-file", str(password_file),
            stdout=io.StringIO(),
        )  # fmt: skip
    with pytest.raises(CommandError, match="leaked"):
        call_command("createadmin", "root2", "--password-file", str(password_file))
    assert User.objects.get(username="a-coordinator").check_password(PASSWORD)
