"""Static security analysis of our own code: bandit finds no high-severity issue.

(Known vulnerabilities in the dependencies are checked by ``scripts/audit_dependencies.py`` in
``.ci/run``, where the advisory database may be reachable.)
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["voting", "certificates", "config.py", "wsgi.py", "gunicorn.conf.py"]


def test_bandit_finds_no_high_severity_issue():
    result = subprocess.run([sys.executable, "-m", "bandit", "-q", "-r", *SCANNED, "--severity-level", "high",
                             "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert report["metrics"]["_totals"]["loc"] > 10_000, "bandit scanned (almost) nothing"
    high = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]
            if r["issue_severity"] == "HIGH"]
    assert high == []
