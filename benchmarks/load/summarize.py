"""The figures of a run as markdown: per step, per page kind, against the bare view's p95."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def main() -> None:
    out = Path(sys.argv[1])
    for stats in sorted(
        out.glob("step-*_stats.csv"), key=lambda p: int(p.name.split("-")[1].split("_")[0])
    ):
        users = stats.name.split("-")[1].split("_")[0]
        rows = list(csv.DictReader(stats.open()))
        sample = json.loads((out / f"sample-{users}.json").read_text())
        total = next(r for r in rows if r["Name"] == "Aggregated")
        bare = next((r for r in rows if r["Name"] == "bare Django view"), None)
        bare_p95 = float(bare["95%"]) if bare else 0.0
        print(f"\n### {users} users\n")
        print(
            f"{float(total['Requests/s']):.1f} requests/s, {total['Request Count']} requests, "
            f"{total['Failure Count']} errors; server {sample['server_cores']} cores, machine "
            f"CPU {sample['machine_cpu_percent']} %, load average "
            f"{', '.join(f'{x:.1f}' for x in sample['load_average'])}; database connections "
            f"max {sample['db_connections_max']} (median {sample['db_connections_median']})\n"
        )
        print("| page kind | requests | errors | median ms | p95 ms | p95 / bare p95 |")
        print("|---|---:|---:|---:|---:|---:|")
        # The time from asking for a print to its file ready (locust's custom events of type
        # "print") is no request: in a table of its own, after the requests.
        prints = [r for r in rows if r["Type"] == "print"]
        for r in sorted(rows, key=lambda r: (r["Name"], r["Type"])):
            if r["Name"] == "Aggregated" or r["Type"] == "print":
                continue
            name = f"{r['Name']} ({r['Type']})" if r["Name"] == "login" else r["Name"]
            ratio = float(r["95%"]) / bare_p95 if bare_p95 else float("nan")
            print(
                f"| {name} | {r['Request Count']} | {r['Failure Count']} | "
                f"{float(r['Median Response Time']):.0f} | {float(r['95%']):.0f} | {ratio:.2f} |"
            )
        if prints:
            print("\n| print: asked to file ready | prints | not ready | median ms | p95 ms |"
                  " max ms |\n|---|---:|---:|---:|---:|---:|")  # fmt: skip
            for r in sorted(prints, key=lambda r: r["Name"]):
                print(
                    f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | "
                    f"{float(r['Median Response Time']):.0f} | {float(r['95%']):.0f} | "
                    f"{float(r['Max Response Time']):.0f} |"
                )
    races = out / "races.json"
    if races.exists():
        print("\n### Two writers at once (during the last step)\n")
        held = json.loads(races.read_text()).get("held")
        print(f"no lost update and no overdraw: {'yes' if held else 'NO'}\n")
        print("```\n" + races.read_text().strip() + "\n```")


if __name__ == "__main__":
    main()
