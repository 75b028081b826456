"""`asde …`: the command line of the Air Situation Data Exchange."""

from __future__ import annotations

import argparse

from asde import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="asde", description="ASDE, the Air Situation Data Exchange."
    )
    parser.add_argument("--version", action="version", version=f"asde {__version__}")
    parser.parse_args(argv)
    parser.print_help()
    return 0
