"""One owner for each transaction: operations flush, their caller commits.

The view, the CLI command or the job runner commits, once per request or per batch; a domain
module that commits would end its caller's transaction half-way (an audit event without the change
it records, or a change whose e-mail says otherwise). This reads the source, so it also covers code
no test happens to run.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Modules that own transactions by design: they are the runners, hooks and after-commit work.
OWNERS = {
    "cli.py",            # click commands commit what they did
    "jobs.py",           # certificates' job runner: commits between the steps of each batch
    "background.py",     # the job runner: the job's row, its progress and outcome
    "login_sessions.py",  # before each request: a session's "last seen", alone in its commit
    "mail.py",           # after the commit: records when each e-mail copy was sent
}


def _is_view(path):
    return "views" in path.parts


def domain_modules():
    """voting/operations and the other non-view, non-CLI modules of voting and certificates."""
    for package in ("voting", "certificates"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name in OWNERS or _is_view(path):
                continue
            yield path


def _is_command(function):
    """A click command living beside its domain code (``@registry_cli.command(...)``) is a CLI caller."""
    return any(isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command" for d in function.decorator_list)


def commits(path):
    """``line`` of every ``….commit(…)`` call in the module outside click commands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_command(node):
            exempt |= {id(inner) for inner in ast.walk(node)}
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"
            and id(node) not in exempt]


def test_the_rule_covers_the_operations_and_the_certificates_domain():
    names = {p.relative_to(ROOT).as_posix() for p in domain_modules()}
    assert "voting/operations/scoring.py" in names and "certificates/operations/issuance.py" in names
    assert "certificates/operations/reissue_imported.py" in names and "voting/operations/notifications.py" in names
    assert not {n for n in names if "/views/" in n or n.endswith(("views.py", "/cli.py", "/jobs.py"))}


@pytest.mark.parametrize("path", list(domain_modules()), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_domain_modules_flush_and_never_commit(path):
    assert commits(path) == [], f"{path.relative_to(ROOT)} commits at lines {commits(path)}: move it to the caller"


def test_the_check_sees_a_commit(tmp_path):
    module = tmp_path / "operation.py"
    module.write_text("def act(session):\n    session.add(1)\n    session.commit()\n\n\n"
                      "@cli.command('x')\ndef command():\n    db.session.commit()\n", encoding="utf-8")
    assert commits(module) == [3]


def test_voting_reaches_certificates_through_public_names_only():
    """The demo seeds certificates through the operations (``issue_entries``), not issuance's private steps."""
    private = []
    for path in sorted((ROOT / "voting").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("certificates"):
                private += [f"{path.relative_to(ROOT)}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []
