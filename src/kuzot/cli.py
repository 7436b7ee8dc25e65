"""The ``kuzot`` command: every operation, one verb each.

``kuzot link`` and ``kuzot estimate`` run the pure analysis library without Django; every other
verb is a Django management command (``kuzot serve``, ``kuzot demo``, ``kuzot backup`` …, and
Django's own, such as ``kuzot migrate``).
"""

import os
import sys

from kuzot.hardening import harden_process

ANALYSIS_COMMANDS = {
    "link": "kuzot.analysis.link_cli",
    "estimate": "kuzot.analysis.estimate_cli",
}


def main(argv: list[str] | None = None) -> int:
    harden_process()
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ANALYSIS_COMMANDS:
        from importlib import import_module

        return import_module(ANALYSIS_COMMANDS[argv[1]]).main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuzot.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "kuzot"
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
