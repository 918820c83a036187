"""The packages' dependency rule, read from the source (every import, at any depth of a module).

``certificates`` imports ``voting``; ``voting`` reaches ``certificates`` only through the app factory's
single ``certificates.init_app(app)``. Certificates' models import none of its views or forms.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The one module of voting allowed to import certificates: the app factory.
FACTORY = "voting/__init__.py"
#: Modules of certificates that hold views or forms.
CERTIFICATES_UI = ("certificates.forms", "certificates.views", "certificates.import_views")


def _modules(package):
    return sorted(p for p in (ROOT / package).rglob("*.py") if "translations" not in p.parts)


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path):
    """Every module ``path`` imports, with its line: import statements anywhere in the module (in
    functions too), relative ones resolved, and literal names handed to ``import_module``/``__import__``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _module_name(path)
                if path.name != "__init__.py":
                    package = package.rpartition(".")[0]
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.append((module, node.lineno))
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                found.append((node.args[0].value, node.lineno))
    return found


def _is_under(module, package):
    return module == package or module.startswith(package + ".")


def test_imported_names_sees_every_form(tmp_path):
    """The scanner itself: plain, from, relative, function-level and dynamic imports are all seen."""
    sample = tmp_path / "sample.py"
    sample.write_text("import certificates.models\n"
                      "from certificates import models\n"
                      "def f():\n"
                      "    from certificates.issuance import stored_pdf\n"
                      "    import importlib\n"
                      "    importlib.import_module('certificates.keys')\n"
                      "    __import__('certificates')\n")
    names = [name for name, _line in imported_names(sample)]
    assert "certificates.models" in names
    assert "certificates.issuance" in names
    assert "certificates.keys" in names
    assert "certificates" in names


def test_voting_imports_certificates_only_in_the_app_factory():
    offending = []
    for path in _modules("voting"):
        relative = path.relative_to(ROOT).as_posix()
        if relative == FACTORY:
            continue
        offending += [f"{relative}:{line} imports {name}" for name, line in imported_names(path)
                      if _is_under(name, "certificates")]
    assert offending == []


def test_the_factory_reaches_certificates_once():
    """The app factory imports only the package itself, to call its ``init_app``."""
    names = [name for name, _line in imported_names(ROOT / FACTORY) if _is_under(name, "certificates")]
    assert names == ["certificates"]


@pytest.mark.parametrize("path", _modules("certificates/models"), ids=lambda p: p.name)
def test_certificates_models_import_no_views_or_forms(path):
    names = [name for name, _line in imported_names(path)]
    assert [n for n in names if any(_is_under(n, ui) for ui in CERTIFICATES_UI)] == []
    assert [n for n in names if _is_under(n, "voting.views") or _is_under(n, "voting.forms")] == []
