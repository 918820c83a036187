"""The layout of tests/: a test module is never imported by another module.

Shared helpers and fixtures live in helper modules (tests/support/, tests/helpers.py,
tests/factories.py); importing a test module runs its collection-time code twice and ties
two test files together, so one cannot move without breaking the other.
"""
import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _is_test_module(dotted):
    return dotted is not None and dotted.rsplit(".", 1)[-1].startswith("test_")


def imports_of_test_modules(path):
    """Every import in ``path`` (at any depth) that names a ``test_*`` module, as ``line: module``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: {alias.name}" for alias in node.names
                      if any(part.startswith("test_") for part in alias.name.split("."))]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if any(part.startswith("test_") for part in module.split(".")):
                found.append(f"{node.lineno}: {'.' * node.level}{module}")
            elif not module or node.level:  # from . import test_x
                found += [f"{node.lineno}: {'.' * node.level}{module + '.' if module else ''}{alias.name}"
                          for alias in node.names
                          if _is_test_module(alias.name)]
            else:  # from tests import test_x
                found += [f"{node.lineno}: {module}.{alias.name}" for alias in node.names
                          if _is_test_module(alias.name)]
    return sorted(found, key=lambda entry: int(entry.split(":")[0]))


def test_no_module_imports_from_a_test_module():
    offenders = {str(path.relative_to(TESTS)): found for path in sorted(TESTS.rglob("*.py"))
                 if (found := imports_of_test_modules(path))}
    assert offenders == {}, "move the shared helper into tests/support/ (or helpers.py, factories.py)"


def test_the_rule_sees_every_form_of_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from tests.test_a import x\nimport tests.test_b\nfrom . import test_c\n"
                      "def f():\n    from .test_d import y\nfrom tests import test_e, helpers\n"
                      "from tests.support import certificates\n")
    assert imports_of_test_modules(sample) == ["1: tests.test_a", "2: tests.test_b", "3: .test_c", "5: .test_d",
                                               "6: tests.test_e"]
