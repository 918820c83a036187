"""The issuance benchmark's outcome: its targets, the table it prints and the JSON it writes (bench.issuance)."""
import json
import os
import platform
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from certificates.operations.issuance import BATCH_SIZE

TARGET = 3.0  # baseline / platform, per certificate
FLOOR_TARGET = 1.5  # platform / floor, at most
PARALLEL_TARGET = 1.7  # two processes / one, per certificate, wall clock
RESULTS = Path(__file__).parent / "results" / "issuance-latest.json"


def load_average():
    """The machine's load average over 1, 5 and 15 minutes (/proc/loadavg), as printed beside the figures."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def font_subsetter():
    """The library WeasyPrint subsets fonts with on this machine: part of every document's fixed cost."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return "HarfBuzz-Subset" if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0) else "fontTools"


@dataclass
class Outcome:
    entries: int
    runs: tuple
    checked: int
    setup_seconds: float
    check_seconds: float
    subsetter: str = ""
    load_before: str = ""

    @property
    def ratio(self):
        baseline, platform_run, *_ = self.runs
        return baseline.ms_per_certificate / platform_run.ms_per_certificate

    @property
    def over_floor(self):
        _, platform_run, floor, _ = self.runs
        return platform_run.ms_per_certificate / floor.ms_per_certificate

    @property
    def ceiling(self):
        """baseline / floor: what baseline / platform would be if issuing cost nothing but WeasyPrint's pages
        (no numbering, signing, storage or database): no platform reaches more."""
        baseline, _, floor, _ = self.runs
        return baseline.ms_per_certificate / floor.ms_per_certificate

    @property
    def speed_up(self):
        _, platform_run, _, parallel = self.runs
        return platform_run.ms_per_certificate / parallel.ms_per_certificate

    @property
    def checks(self):
        """Each target: (what, measured, met)."""
        return {"baseline / platform": (self.ratio, self.ratio >= TARGET),
                "platform / floor": (self.over_floor, self.over_floor <= FLOOR_TARGET),
                "2 processes / 1 process": (self.speed_up, self.speed_up >= PARALLEL_TARGET),
                "HarfBuzz-Subset": (self.subsetter, self.subsetter == "HarfBuzz-Subset")}

    @property
    def passed(self):
        return all(met for _, met in self.checks.values())


def report(outcome):
    baseline, platform_run, floor, parallel = outcome.runs
    verdict = {name: "PASS" if met else "FAIL" for name, (_, met) in outcome.checks.items()}
    rows = [("1 baseline: one document per certificate", baseline),
            (f"2 platform: issue_round (one document per {BATCH_SIZE}, split)", platform_run),
            (f"3 floor: one WeasyPrint document of the same {outcome.entries // 2} pages, nothing else", floor),
            (f"4 platform, 2 processes at once (2 rounds of {outcome.entries // 2}, "
             "wall clock)", parallel)]
    print("\n".join([
        "",
        f"Issuance: {outcome.entries} certificates per run on a fresh SQLite database; {os.cpu_count()} CPUs; "
        f"{datetime.now():%Y-%m-%d %H:%M}",
        "Warm-up: one certificate rendered in each process before timing (fonts, template), not counted.",
        "Runs 1, 2 and 3 alternate on halves of the entries (1 2 3 1 2 3); run 4 is two processes at once.",
        f"Fonts subset with {outcome.subsetter} ({verdict['HarfBuzz-Subset']}: production's). Set-up "
        f"{outcome.setup_seconds:.1f} s and check {outcome.check_seconds:.1f} s, not counted. "
        f"Load average before: {outcome.load_before}, after: {load_average()}.",
        "",
        f"{'run':<66}{'seconds':>9}{'ms/cert':>9}",
        *(f"{label:<66}{run.seconds:>9.2f}{run.ms_per_certificate:>9.1f}" for label, run in rows),
        "",
        f"baseline / platform       {outcome.ratio:5.2f}x   target >= {TARGET:g}x   {verdict['baseline / platform']}"
        f"   (ceiling: baseline / floor = {outcome.ceiling:.2f}x, the most any issuance reaches with these pages)",
        f"platform / floor          {outcome.over_floor:5.2f}x   target <= {FLOOR_TARGET:g}x  "
        f"{verdict['platform / floor']}",
        f"2 processes / 1 process   {outcome.speed_up:5.2f}x   target >= {PARALLEL_TARGET:g}x  "
        f"{verdict['2 processes / 1 process']}   per certificate, wall clock "
        f"(runs restarted after 'database is locked': {parallel.retries})",
        f"Checked: {outcome.checked} stored PDFs, each one page carrying its own number.",
        f"Written: {RESULTS}",
    ]), flush=True)


def write_results(outcome):
    import weasyprint

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "issuance", "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "entries": outcome.entries, "batch_size": BATCH_SIZE, "cpus": os.cpu_count(),
        "python": platform.python_version(), "weasyprint": weasyprint.__version__,
        "font_subsetter": outcome.subsetter, "sqlite": sqlite3.sqlite_version,
        "warm_up": "one certificate rendered in each process before timing",
        "load_average_before": outcome.load_before,
        "runs": {key: {**asdict(run), "ms_per_certificate": round(run.ms_per_certificate, 2)}
                 for key, run in zip(("baseline", "platform", "floor", "two_processes"), outcome.runs, strict=True)},
        "ratio_baseline_over_platform": round(outcome.ratio, 3), "target": TARGET,
        "ceiling_baseline_over_floor": round(outcome.ceiling, 3),
        "ratio_platform_over_floor": round(outcome.over_floor, 3), "floor_target": FLOOR_TARGET,
        "two_process_speed_up": round(outcome.speed_up, 3), "parallel_target": PARALLEL_TARGET,
        "pass": outcome.passed, "pdfs_checked": outcome.checked,
        "setup_seconds": round(outcome.setup_seconds, 1), "check_seconds": round(outcome.check_seconds, 1),
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
