"""``python -m bench``: run the benchmarks and print their ratios against the baseline."""
import argparse
import sys

from bench import issuance


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--entries", type=int, default=issuance.DEFAULT_ENTRIES, metavar="N",
                        help=f"certified entries per round (default {issuance.DEFAULT_ENTRIES})")
    args = parser.parse_args(argv)
    if args.entries < 2:
        parser.error("--entries must be at least 2 (the two-process run splits them)")
    return issuance.main(args.entries)


if __name__ == "__main__":
    sys.exit(main())
