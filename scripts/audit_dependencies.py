"""Known vulnerabilities in the installed dependencies (pip-audit), for CI.

Exit 1 when a dependency has a known vulnerability. When the advisory database answers for none
of them (a closed network; a mirror without PyPI's JSON API), the check cannot run: it says so
in one line, counted, and exits 0. When it answers for some only, the rest are named.
"""
import json
import subprocess
import sys


def main():
    result = subprocess.run([sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--skip-editable",
                             "--format", "json"], capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"SKIPPED 1 check: pip-audit did not run ({result.stderr.strip()[-300:]})")
        return 0
    dependencies = report.get("dependencies", [])
    skipped = [d["name"] for d in dependencies if "skip_reason" in d]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        print(f"SKIPPED 1 check: pip-audit, the advisory database answered for none of the {len(dependencies)} "
              "installed dependencies from this machine (no network to it, or a mirror without PyPI's JSON API)")
        return 0
    vulnerable = [(d["name"], d["version"], v["id"]) for d in audited for v in d.get("vulns", [])]
    for name, version, advisory in vulnerable:
        print(f"VULNERABLE: {name} {version}: {advisory}")
    print(f"pip-audit: {len(audited)} dependencies audited, {len(vulnerable)} known vulnerabilities"
          + (f"; not audited: {', '.join(skipped)}" if skipped else ""))
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
