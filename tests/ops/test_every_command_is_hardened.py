"""Every `kuzot` command starts with a umask of 077 and a core-dump limit of 0, whatever the
shell that started it had (this test's: umask 022, cores allowed)."""

import json
import os
import subprocess
import sys

PROBE = """
import json, os, resource
umask = os.umask(0o077)
print(json.dumps({"umask": umask, "core": resource.getrlimit(resource.RLIMIT_CORE)}))
"""


def test_a_kuzot_command_makes_owner_only_files_and_no_core_dump(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "KUZOT_DATABASE_URL"}
    env["KUZOT_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run(  # noqa: S603 - our own console script
        [sys.executable, "-m", "kuzot.cli", "shell", "-c", PROBE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: os.umask(0o022),  # the usual shell's umask
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"umask": 0o077, "core": [0, 0]}
