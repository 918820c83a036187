"""``python -m bench``: run the benchmarks and print their ratios against the baseline."""
import argparse
import sys

BENCHMARKS = ("issuance", "verify", "search", "load")


def main(argv=None):
    from bench import issuance, load, verify_load

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=BENCHMARKS, action="append", metavar="NAME",
                        help=f"run only this benchmark ({', '.join(BENCHMARKS)}); may be repeated; default all")
    parser.add_argument("--entries", type=int, default=issuance.DEFAULT_ENTRIES, metavar="N",
                        help=f"issuance: certified entries per round (default {issuance.DEFAULT_ENTRIES})")
    parser.add_argument("--rows", type=int, default=verify_load.DEFAULT_ROWS, metavar="N",
                        help=f"verify and search: certified products per database (default {verify_load.DEFAULT_ROWS:,})")
    parser.add_argument("--seconds", type=int, default=verify_load.DEFAULT_SECONDS, metavar="S",
                        help=f"verify: seconds of load per route (default {verify_load.DEFAULT_SECONDS})")
    parser.add_argument("--no-postgres", action="store_true", help="verify and search: SQLite only")
    parser.add_argument("--load-rows", type=int, default=load.DEFAULT_ROWS, metavar="N",
                        help=f"load: certified products on PostgreSQL (default {load.DEFAULT_ROWS:,})")
    parser.add_argument("--load-seconds", type=int, default=load.DEFAULT_SECONDS, metavar="S",
                        help=f"load: seconds of {load.CLIENTS} clients on each route (default {load.DEFAULT_SECONDS})")
    args = parser.parse_args(argv)
    if args.entries < 2:
        parser.error("--entries must be at least 2 (the two-process run splits them)")
    if args.rows < 1 or args.seconds < 1:
        parser.error("--rows and --seconds must be at least 1")
    chosen = args.only or BENCHMARKS
    statuses = []
    if "issuance" in chosen:
        statuses.append(issuance.main(args.entries))
    if "verify" in chosen or "search" in chosen:  # on the same rows
        statuses.append(verify_load.main(args.rows, args.seconds, postgres=not args.no_postgres,
                                         verify="verify" in chosen, search="search" in chosen))
    if "load" in chosen:
        statuses.append(load.main(args.load_rows, args.load_seconds))
    return max(statuses, default=0)


if __name__ == "__main__":
    sys.exit(main())
