"""kuzot.analysis never imports Django: it runs from the CLI, notebooks and the web app alike."""

import ast
import subprocess
import sys
from pathlib import Path

import kuzot.analysis

ANALYSIS = Path(kuzot.analysis.__file__).parent


def imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module


def forbidden(module: str) -> bool:
    """Django, or the web side of Kuzot."""
    return module.split(".")[0] == "django" or (
        module.startswith("kuzot") and not module.startswith("kuzot.analysis")
    )


def test_no_module_of_the_analysis_library_imports_django():
    offenders = [
        f"{path.relative_to(ANALYSIS)}:{line} imports {module}"
        for path in ANALYSIS.rglob("*.py")
        for line, module in imports(path)
        if forbidden(module)
    ]
    assert not offenders


def test_importing_every_analysis_module_loads_no_django():
    modules = sorted(
        "kuzot.analysis." + ".".join(p.relative_to(ANALYSIS).with_suffix("").parts)
        for p in ANALYSIS.rglob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
