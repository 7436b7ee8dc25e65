"""The ``kuzot`` command: every operation, one verb each.

``kuzot link`` and ``kuzot estimate`` run the pure analysis library without Django; every other
verb is a Django management command (``kuzot serve``, ``kuzot demo``, ``kuzot backup`` …).
``kuzot help`` lists Kuzot's own verbs, one line each, read from the commands themselves (a new
command is listed without touching this file); Django's own commands (``migrate``, ``check``,
``shell`` …) are behind ``kuzot django …``, and ``kuzot django help`` lists them.
"""

import ast
import os
import sys
from importlib.util import find_spec

from kuzot.hardening import harden_process

ANALYSIS_COMMANDS = {
    "link": "kuzot.analysis.link_cli",
    "estimate": "kuzot.analysis.estimate_cli",
}
HELP = {"help", "--help", "-h"}


def main(argv: list[str] | None = None) -> int:
    harden_process()
    argv = list(sys.argv if argv is None else argv)
    verb = argv[1] if len(argv) > 1 else "help"
    if verb in ANALYSIS_COMMANDS:
        from importlib import import_module

        return import_module(ANALYSIS_COMMANDS[verb]).main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuzot.settings")
    if verb in HELP and len(argv) <= 2:
        print(verbs_help())
        return 0
    if verb in HELP and argv[2] in ANALYSIS_COMMANDS:
        return main([argv[0], argv[2], "--help"])
    if verb == "django":
        argv = argv[:1] + argv[2:]
    from django.core.management import execute_from_command_line

    argv[0] = "kuzot"
    execute_from_command_line(argv)
    return 0


def _first_line(text: str) -> str:
    """The first sentence of a command's help, on one line."""
    text = " ".join(text.split())
    return text.split(". ")[0].rstrip(".") + "."


def _analysis_line(module: str) -> str:
    """The first line of the module's docstring, read without importing it (its imports are
    heavy): "``kuzot link``: which records …" gives "Which records …"."""
    path = find_spec(module).origin
    with open(path, encoding="utf-8") as source:
        doc = ast.get_docstring(ast.parse(source.read())) or ""
    line = doc.splitlines()[0].split(":", 1)[-1].strip()
    return _first_line(line[:1].upper() + line[1:])


def kuzot_verbs() -> dict[str, str]:
    """Kuzot's own verbs (management commands of Kuzot's apps, and the analysis commands),
    each with one line."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    verbs = {name: _analysis_line(module) for name, module in ANALYSIS_COMMANDS.items()}
    for name, app in get_commands().items():
        if app.startswith("kuzot.") and not name.startswith("_"):
            verbs[name] = _first_line(load_command_class(app, name).help)
    return dict(sorted(verbs.items()))


def verbs_help() -> str:
    verbs = kuzot_verbs()
    width = max(map(len, verbs))
    lines = ["Usage: kuzot VERB [options]", "", "Kuzot's verbs:"]
    lines += [f"  {name:<{width}}  {line}" for name, line in verbs.items()]
    lines += [
        "",
        "kuzot help VERB (or kuzot VERB --help) shows a verb's options.",
        "Django's own commands (migrate, check, shell, createsuperuser …): kuzot django help.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
