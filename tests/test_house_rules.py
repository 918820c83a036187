"""The house rules of the layout, read from the source (README, "Where things are").

Every import counts, at any depth of a module (in functions too), relative ones resolved, and literal
names handed to ``import_module``/``__import__``. A failure names the file, the line and what breaks
the rule.
"""
import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The one module of voting allowed to import certificates: the app factory.
FACTORY = "voting/__init__.py"
#: Where the user interface lives: what models and operations never import.
UI = ("voting.views", "voting.forms", "certificates.views.registry.pages", "certificates.forms")
#: Model modules; operation-like modules (rules and operations: no request, no UI, no commit).
MODELS = ("voting/models", "certificates/models")
OPERATIONS = ("voting/operations", "voting/rules", "certificates/operations", "certificates/rules")
#: Who may build the app: the WSGI entry (also ``flask --app wsgi``), the tests and the benchmarks.
APP_BUILDERS = ("wsgi", "tests", "bench")
#: Whose private names nobody else imports.
PROJECT = ("voting", "certificates", "tests", "bench", "scripts", "config", "wsgi")


def _modules(package):
    return sorted(p for p in (ROOT / package).rglob("*.py") if "translations" not in p.parts)


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache  # every rule reads the same files
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
                      "    from certificates.operations.issuance import stored_pdf\n"
                      "    import importlib\n"
                      "    importlib.import_module('certificates.operations.keys')\n"
                      "    __import__('certificates')\n")
    names = [name for name, _line in imported_names(sample)]
    assert "certificates.models" in names
    assert "certificates.operations.issuance" in names
    assert "certificates.operations.keys" in names
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


def _all_modules(*folders):
    found = []
    for folder in folders:
        path = ROOT / folder
        found += [path] if path.suffix == ".py" else _modules(folder)
    return found


def _where(path, line):
    return f"{path.relative_to(ROOT).as_posix()}:{line}"


@pytest.mark.parametrize("folder", MODELS)
def test_models_import_no_operations_views_or_forms(folder):
    layers = (*UI, "voting.operations", "certificates.operations")
    offending = [f"{_where(path, line)} imports {name}" for path in _modules(folder)
                 for name, line in imported_names(path) if any(_is_under(name, layer) for layer in layers)]
    assert offending == []


def test_operations_import_no_views_forms_request_or_current_user():
    forbidden = (*UI, "flask.request", "flask_login.current_user")
    offending = [f"{_where(path, line)} imports {name}" for path in _all_modules(*OPERATIONS)
                 for name, line in imported_names(path) if any(_is_under(name, f) for f in forbidden)]
    assert offending == []


def test_only_the_entry_points_import_the_app_factory():
    """The job runner is handed the factory (voting.core.background.init_app) instead."""
    offending = []
    for path in _all_modules("voting", "certificates", "config.py", "scripts", "migrations"):
        offending += [f"{_where(path, line)} imports {name}" for name, line in imported_names(path)
                      if name == "voting.create_app"]
    assert offending == []
    builders = {p.relative_to(ROOT).parts[0].removesuffix(".py") for p in _all_modules("wsgi.py", "tests", "bench")
                if any(name == "voting.create_app" for name, _line in imported_names(p))}
    assert builders <= set(APP_BUILDERS)


def test_no_module_imports_a_private_name_of_another():
    offending = []
    for path in _all_modules(*(p if p not in ("config", "wsgi") else f"{p}.py" for p in PROJECT)):
        for name, line in imported_names(path):
            parts = name.split(".")
            if parts[0] in PROJECT and any(p.startswith("_") and not p.startswith("__") for p in parts):
                offending.append(f"{_where(path, line)} imports {name}")
    assert offending == []


def test_the_top_of_voting_holds_only_the_factory_its_extensions_and_its_commands():
    assert sorted(p.name for p in (ROOT / "voting").glob("*.py")) == ["__init__.py", "cli.py", "extensions.py"]


@pytest.mark.parametrize("where", ["voting", "certificates", "config.py"])
def test_no_module_over_400_lines(where):
    long = {str(p.relative_to(ROOT)): n for p in _all_modules(where)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_every_package_says_what_it_holds():
    silent = [str(p.relative_to(ROOT)) for p in [*_modules("voting"), *_modules("certificates")]
              if p.name == "__init__.py" and not (ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "").strip()]
    assert silent == []


def test_core_imports_no_documents_ui_demo_or_certificates():
    forbidden = (*UI, "voting.documents", "voting.demo", "certificates")
    offending = [f"{_where(path, line)} imports {name}" for path in _modules("voting/core")
                 for name, line in imported_names(path) if any(_is_under(name, f) for f in forbidden)]
    assert offending == []
