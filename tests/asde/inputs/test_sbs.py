"""BaseStation lines cut from a byte stream: over-long lines dropped whole, half lines kept
for the rest, nothing lost around them."""

from asde.inputs.sbs import LineSplitter

LINE = (
    b"MSG,3,1,1,4CA101,1,2026/12/01,10:00:00.000,2026/12/01,10:00:00.000,,35000,,,49.8,23.4,,,,,,0"
)


def test_lines_split_across_reads_come_out_whole() -> None:
    splitter = LineSplitter()

    first = splitter.receive_data(LINE[:40])
    second = splitter.receive_data(LINE[40:] + b"\r\n" + LINE + b"\n" + LINE[:10])

    assert first == [] and second == [LINE, LINE]
    assert splitter.pending == 10


def test_an_over_long_line_is_dropped_whole_and_counted_once() -> None:
    # Given 100 KiB without an end of line, arriving in pieces, then a good line
    splitter = LineSplitter(max_line=1024)
    out = []
    junk = b"x" * (100 * 1024)
    for start in range(0, len(junk), 4096):
        out += splitter.receive_data(junk[start : start + 4096])

    out += splitter.receive_data(b"tail of the long line\n" + LINE + b"\n")

    # Then the long line is one over-long line, and the next line comes out as it was
    assert out == [LINE]
    assert splitter.overlong == 1 and splitter.pending == 0


def test_an_over_long_line_within_one_read_is_dropped_too() -> None:
    splitter = LineSplitter(max_line=100)

    out = splitter.receive_data(b"y" * 500 + b"\n" + LINE[:50] + b"\n")

    assert out == [LINE[:50]] and splitter.overlong == 1
