"""What every Kuzot process does first: files it creates are its user's alone, and it never
leaves a core dump.

The database, the media folder (ciphertext), the secret and audit key files and backups are
created mode 0600 (folders 0700) by a umask of 077, whoever started the process and whatever
their own umask. A core dump would write the process's memory — the keys that its users
unlocked, decrypted names — to disk in the clear; the core size limit of 0 forbids one. Called
by ``kuzot`` (every command) and by the WSGI entry point, before Django creates any file.
"""

import os
import resource


def harden_process() -> None:
    os.umask(0o077)
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):  # a platform without the limit: docs/deploy.md says what to set
        pass
