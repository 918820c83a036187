"""``python -m bench``: run the benchmarks and print their ratios against baselines measured in the same run."""
import argparse
import os
import shutil
import sys

BENCHMARKS = ("issuance", "signing", "routes", "search", "reports", "load")


def main(argv=None):
    from bench import databases, issuance, load, routes, signing
    from bench.rows import YEARS

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=BENCHMARKS, action="append", metavar="NAME",
                        help=f"run only this benchmark ({', '.join(BENCHMARKS)}); may be repeated; default all")
    parser.add_argument("--entries", type=int, default=issuance.DEFAULT_ENTRIES, metavar="N",
                        help=f"issuance: certified entries per round (default {issuance.DEFAULT_ENTRIES})")
    parser.add_argument("--rows", type=int, default=databases.DEFAULT_ROWS, metavar="N",
                        help=f"routes, search and reports: certified products per database (default {databases.DEFAULT_ROWS:,})")
    parser.add_argument("--years", type=int, default=YEARS, metavar="N",
                        help=f"routes, search and reports: years of provincial rounds the rows span (default {YEARS}; "
                             "1: every certificate of this year and in force, as the rows were before issue 21)")
    parser.add_argument("--seconds", type=int, default=routes.DEFAULT_SECONDS, metavar="S",
                        help=f"routes: seconds of load per run of a route (default {routes.DEFAULT_SECONDS})")
    parser.add_argument("--signed-entries", type=int, default=signing.DEFAULT_ENTRIES, metavar="N",
                        help=f"signing: certificates issued signed, and as many unsigned (default {signing.DEFAULT_ENTRIES})")
    parser.add_argument("--no-postgres", action="store_true", help="routes and search: SQLite only")
    parser.add_argument("--load-rows", type=int, default=load.DEFAULT_ROWS, metavar="N",
                        help=f"load: certified products on PostgreSQL (default {load.DEFAULT_ROWS:,})")
    parser.add_argument("--load-seconds", type=int, default=load.DEFAULT_SECONDS, metavar="S",
                        help=f"load: seconds of {load.CLIENTS} clients on each route (default {load.DEFAULT_SECONDS})")
    args = parser.parse_args(argv)
    if args.entries < 2:
        parser.error("--entries must be at least 2 (the two-process run splits them)")
    if args.rows < 1 or args.seconds < 1 or not 1 <= args.years <= 40:
        parser.error("--rows and --seconds must be at least 1, --years from 1 to 40")
    chosen = args.only or BENCHMARKS
    if ("routes" in chosen or "load" in chosen) and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does it)")
    print(f"Load average at the start: {load_average()}", flush=True)
    statuses = []
    if "issuance" in chosen:
        statuses.append(issuance.main(args.entries))
    if "signing" in chosen:
        statuses.append(signing.main(args.signed_entries))
    if {"routes", "search", "reports"} & set(chosen):  # on the same rows, built once per database
        statuses.append(databases.main(args.rows, args.seconds, postgres=not args.no_postgres,
                                       routes="routes" in chosen, search="search" in chosen,
                                       reports="reports" in chosen, years=args.years))
    if "load" in chosen:
        statuses.append(load.main(args.load_rows, args.load_seconds))
    print(f"Load average at the end: {load_average()}", flush=True)
    return max(statuses, default=0)


def load_average():
    """The 1, 5 and 15 minute load averages."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
