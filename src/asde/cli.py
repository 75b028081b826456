"""`asde …`: the command line of the Air Situation Data Exchange."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from asde import __version__, commands
from asde.agreements import AgreementError
from asde.asterix import AsterixError, DecodeError, encode, iter_blocks
from asde.asterix.codec import encode_record
from asde.asterix.jsonio import record_from_json, record_to_json
from asde.asterix.readers import read
from asde.sim import ScenarioError


def _decode(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    data = Path(args.file).read_bytes() if args.file != "-" else sys.stdin.buffer.read()
    records = errors = 0
    try:
        chunks = list(read(data, args.format))
    except DecodeError as error:
        err.write(f"{args.file}: {error}\n")
        return 1
    for chunk in chunks:
        for block in iter_blocks(chunk.data):
            if isinstance(block, DecodeError):
                errors += 1
                err.write(f"{args.file}: offset {chunk.offset + block.offset}: {block.reason}\n")
                continue
            for record in block:
                obj = record_to_json(record)
                if chunk.timestamp is not None:
                    obj["timestamp"] = chunk.timestamp
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
                records += 1
    err.write(f"{records} records, {errors} bad data blocks\n")
    return 0 if records or not errors else 1


def _encode(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    text = Path(args.file).read_text(encoding="utf-8") if args.file != "-" else sys.stdin.read()
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            obj.pop("timestamp", None)
            record = record_from_json(obj)
            encode_record(record)  # checked here, so that the error names its line
            records.append(record)
        except (json.JSONDecodeError, AsterixError, AttributeError) as error:
            err.write(f"{args.file}:{number}: {error}\n")
            return 1
    try:
        data = encode(records)
    except AsterixError as error:
        err.write(f"{args.file}: {error}\n")
        return 1
    target = Path(args.output) if args.output else None
    if target is None:
        sys.stdout.buffer.write(data)
    else:
        target.write_bytes(data)
    err.write(f"{len(records)} records, {len(data)} bytes\n")
    return 0


def _run(args: argparse.Namespace, err: TextIO) -> int:
    import asyncio
    import logging

    from asde.config import ConfigError, ServiceConfig
    from asde.service import run_forever

    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    # Operators' actions are always written, whatever the log level of the rest.
    logging.getLogger("asde.audit").setLevel(logging.INFO)
    try:
        config = ServiceConfig.load(Path(args.config))
    except (ConfigError, AgreementError, ScenarioError) as error:
        err.write(f"asde run: {error}\n")
        return 1
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_forever(config))
    return 0


def _credentials(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from asde.credentials import write_credentials

    directory = Path(args.dir)
    written = write_credentials(directory)
    for path in written:
        out.write(f"{path}\n")
    out.write(f"{len(written)} files written in {directory}; what was there is kept\n")
    return 0


def _day(value: str) -> dt.date:
    """`--day`: the UTC day a raw recording began, as YYYY-MM-DD."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is None:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a day: give the UTC day the recording began as YYYY-MM-DD"
        ) from None


def _recording(verb: argparse.ArgumentParser) -> None:
    """The arguments of a verb that reads a recording."""
    verb.add_argument("input", help="scenario .yaml, recording .json[.gz] or ASTERIX file")
    verb.add_argument(
        "--day", type=_day, metavar="YYYY-MM-DD",
        help="the UTC day a raw ASTERIX recording began (it holds times of day only); "
        "default: the day nearest the moment it is read",
    )  # fmt: skip


def main(
    argv: Sequence[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    parser = argparse.ArgumentParser(
        prog="asde", description="ASDE, the Air Situation Data Exchange."
    )
    parser.add_argument("--version", action="version", version=f"asde {__version__}")
    verbs = parser.add_subparsers(dest="verb")
    decode = verbs.add_parser("decode", help="ASTERIX (raw, length-prefixed or pcap) to JSON lines")
    decode.add_argument("file", help="input file, or - for standard input")
    decode.add_argument(
        "--format", choices=("auto", "raw", "length-prefixed", "pcap"), default="auto"
    )
    encode_verb = verbs.add_parser("encode", help="JSON lines (as `decode` prints) to ASTERIX")
    encode_verb.add_argument("file", help="input file, or - for standard input")
    encode_verb.add_argument("-o", "--output", help="output file (standard output by default)")
    alerts = verbs.add_parser(
        "alerts", help="evaluate a recording or scenario offline; list alerts"
    )
    _recording(alerts)
    alerts.add_argument("--progress", action="store_true")
    filt = verbs.add_parser("filter", help="what an agreement lets go to the partner")
    _recording(filt)
    filt.add_argument("--agreement", required=True, help="agreement file (.yaml or .json)")
    filt.add_argument("-o", "--output", help="write the releasable CAT 062 here")
    filt.add_argument("--verbose", action="store_true", help="one line per track update")
    filt.add_argument("--progress", action="store_true")
    filt.add_argument("--sac", type=int, default=25)
    filt.add_argument("--sic", type=int, default=1)
    sim = verbs.add_parser("simulate", help="a scenario as CAT 062 (default), CAT 021 or SBS lines")
    sim.add_argument("scenario")
    sim.add_argument("--format", choices=("cat062", "cat021", "sbs"), default="cat062")
    sim.add_argument("-o", "--output")
    sim.add_argument("--sac", type=int, default=25)
    sim.add_argument("--sic", type=int, default=1)
    replay = verbs.add_parser("replay", help="a recording or scenario as a timed stream")
    _recording(replay)
    replay.add_argument("--speed", type=float, default=0.0, help="1 = real time, 0 = at once")
    replay.add_argument("--every", type=int, default=100, help="print every Nth update")
    replay.add_argument("--limit", type=int, default=0)
    credentials = verbs.add_parser(
        "credentials",
        help="a throwaway CA, the demo centres' certificates and keys, and HTTP tokens",
    )
    credentials.add_argument("--dir", required=True, help="where (created; kept if there)")
    run = verbs.add_parser("run", help="run an air operations centre (see asde.service)")
    run.add_argument("--config", required=True)
    run.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    if args.verb == "run":
        return _run(args, err)
    handlers = {
        "decode": _decode,
        "encode": _encode,
        "alerts": commands.alerts,
        "filter": commands.filter_,
        "simulate": commands.simulate_,
        "replay": commands.replay,
        "credentials": _credentials,
    }
    if args.verb in handlers:
        try:
            return handlers[args.verb](args, out, err)
        except (AgreementError, ScenarioError, AsterixError, OSError) as error:
            err.write(f"asde {args.verb}: {error}\n")
            return 1
    parser.print_help(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())


def run() -> None:
    """Console entry point."""
    sys.exit(main())
