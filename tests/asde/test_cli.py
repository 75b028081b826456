"""`asde decode` and `asde encode` as an operator uses them."""

import io
import json
from pathlib import Path

import asterix
import pytest

from asde import __version__
from asde.cli import main

SAMPLES = Path(asterix.__file__).parent / "sample_data"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_asde_reports_its_version(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])

    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_decode_prints_one_json_object_per_record() -> None:
    code, out, err = run("decode", str(SAMPLES / "cat_062_065.pcap"))

    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["category"] for line in lines] == [62, 62, 65]
    assert lines[0]["I062/105"]["Lat"] == pytest.approx(41.16712, abs=1e-5)
    assert lines[0]["I062/040"] == {"TrkN": 4713}
    assert "timestamp" in lines[0]
    assert "3 records, 0 bad data blocks" in err


def test_decode_reports_a_bad_block_and_goes_on(tmp_path: Path) -> None:
    good = bytes.fromhex("41000cF8196402043C608718")
    path = tmp_path / "mixed.raw"
    path.write_bytes(good + b"\x41\x00\x05\x04\xff" + good)

    code, out, err = run("decode", str(path), "--format", "raw")

    assert code == 0
    assert len(out.splitlines()) == 2
    assert "offset 16: spare bits are set" in err
    assert "2 records, 1 bad data blocks" in err


def test_encode_reads_back_what_decode_printed(tmp_path: Path) -> None:
    source = SAMPLES / "cat_034_048.pcap"
    _code, out, _err = run("decode", str(source))
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(out, encoding="utf-8")
    encoded = tmp_path / "records.raw"

    code, _out, err = run("encode", str(jsonl), "-o", str(encoded))
    _code2, again, _err2 = run("decode", str(encoded))

    assert code == 0 and "162 records" in err
    strip = [
        {k: v for k, v in json.loads(line).items() if k != "timestamp"} for line in out.splitlines()
    ]
    assert [json.loads(line) for line in again.splitlines()] == strip


def test_encode_names_the_line_of_a_bad_record(tmp_path: Path) -> None:
    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_text(
        '{"category": 62, "I062/040": {"TrkN": 1}}\n{"category": 62, "I062/040": {"TrkN": -1}}\n'
    )

    code, _out, err = run("encode", str(jsonl), "-o", str(tmp_path / "x.raw"))

    assert code == 1
    assert "bad.jsonl:2: I062/040: TrkN: -1 is out of range" in err


SCENARIO = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "asde"
    / "data"
    / "scenarios"
    / "renegade-lviv.yaml"
)
AGREEMENT_V1 = SCENARIO.parents[1] / "agreements" / "nato-ua-v1-2008.yaml"


def test_alerts_lists_the_alerts_of_a_scenario() -> None:
    code, out, err = run("alerts", str(SCENARIO))

    rules = [json.loads(line)["rule"] for line in out.splitlines()]
    assert code == 0 and "renegade" in rules and "restricted_area" in rules
    assert "alerts" in err


def test_filter_says_which_tracks_and_items_go_to_the_partner(tmp_path: Path) -> None:
    output = tmp_path / "to-partner.raw"

    code, out, _err = run(
        "filter", str(SCENARIO), "--agreement", str(AGREEMENT_V1), "-o", str(output)
    )

    summary = json.loads(out.splitlines()[-1])
    assert code == 0 and summary["version"] == 1
    assert summary["updates_sent"] > 0 and "outside the agreed area" in summary["withheld"]
    _code, decoded, _err = run("decode", str(output))
    records = [json.loads(line) for line in decoded.splitlines()]
    assert len(records) == summary["updates_sent"]
    assert all("ADR" not in r.get("I062/380", {}) for r in records)  # removed by the agreement


def test_simulate_writes_cat062_that_decodes(tmp_path: Path) -> None:
    output = tmp_path / "scenario.raw"

    code, _out, err = run("simulate", str(SCENARIO), "-o", str(output))
    _code, decoded, _err = run("decode", str(output))

    assert code == 0 and "Renegade towards Lviv" in err
    assert {json.loads(line)["category"] for line in decoded.splitlines()} == {62}


def test_a_bad_agreement_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("partner: UA\n", encoding="utf-8")

    code, _out, err = run("filter", str(SCENARIO), "--agreement", str(bad))

    assert code == 1 and "valid_from is required" in err


def test_simulate_writes_cat021_that_the_independent_decoder_reads(tmp_path: Path) -> None:
    output = tmp_path / "adsb.raw"

    code, _out, _err = run("simulate", str(SCENARIO), "--format", "cat021", "-o", str(output))
    theirs = asterix.parse(output.read_bytes(), verbose=False)

    assert code == 0 and len(theirs) > 1000
    assert {r["category"] for r in theirs} == {21}
    first = theirs[0]
    assert first["I080"]["TAddr"]["val"].upper() in {"48AE01", "508035", "471F2A", "50812A"}
    assert -90 <= first["I131"]["Lat"]["val"] <= 90
