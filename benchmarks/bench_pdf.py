"""The two PDF reports of the load test, before and after `core.pdf`, in the same run.

Run (the load test's ten-year data set, restored into a throwaway PostgreSQL):

    PARTNERSHIP_PG_PORT=54371 scripts/with-postgres.sh sh -c \\
        '.venv/bin/python -m partnership.cli restore var/load-dataset.pgdump &&
         .venv/bin/python benchmarks/bench_pdf.py'

(or against any DATABASE_URL holding that data set: ANP year 2025 of 450 measures, fund
`bench-fund-0` of 10 projects). As the load test's printing user (`nato-editor`) it renders the
NUC report of 2025 and the fund's donor report, in English and Ukrainian:

- the Django side (queries and template: the report's HTML), median of a few;
- the PDF, alternately the way it was rendered before (`HTML(string=html).write_pdf()`, a new
  font configuration each time, the garbage collector tracking the whole worker's heap) and the
  way a production worker renders it now (`core.pdf.html_to_pdf` after `core.pdf.warm_up` and
  `gc.freeze()`, as `production/server.py` does when a worker starts), BENCH_REPEAT times each;
- the first PDF in a new process (a new gunicorn worker), before and after, BENCH_COLD times;
- and that the pages are the same: both PDFs drawn by `pdftoppm -r 60` and compared pixel for
  pixel.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.load.settings")
os.environ.setdefault("SECRET_KEY", "bench-pdf")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("PARTNERSHIP_DATA_DIR", tempfile.mkdtemp(prefix="partnership-bench-"))

REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
COLD = int(os.environ.get("BENCH_COLD", "3"))
YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
FUND = os.environ.get("BENCH_FUND", "bench-fund-0")
READER = os.environ.get("BENCH_READER", "nato-editor")

# A new process: Django set up and the URLs loaded, as a gunicorn worker is before its first
# request; then (after) the worker's start-up, untimed; then the first PDF, timed.
COLD_SCRIPT = """
import gc, os, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
html = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[2] == "after":
    from partnership.core import pdf
    pdf.warm_up()
    gc.freeze()
    render = pdf.html_to_pdf
else:
    def render(html):
        from weasyprint import HTML
        return HTML(string=html).write_pdf()
start = time.perf_counter()
render(html)
print(time.perf_counter() - start)
"""


def before(html: str) -> bytes:
    """The PDF as `charts.html_to_pdf` made it before `core.pdf`."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def timed(fn: Callable[[str], object], arg: str) -> float:
    start = time.perf_counter()
    fn(arg)
    return time.perf_counter() - start


def pages(pdf: bytes, into: Path) -> list[bytes]:
    """The PDF's pages drawn at 60 dpi (pdftoppm, poppler-utils), as raw pixels."""
    into.mkdir(parents=True, exist_ok=True)
    source = into / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", str(source), str(into / "page")], check=True)
    return [p.read_bytes() for p in sorted(into.glob("page-*.ppm"))]


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.urls import get_resolver

    from partnership.anp import report as anp_report
    from partnership.anp.models import AnnualProgramme
    from partnership.core import pdf
    from partnership.trustfunds import report as tf_report
    from partnership.trustfunds import selectors as tf_selectors
    from partnership.trustfunds.models import TrustFund

    _ = get_resolver().url_patterns  # the views imported, as after a worker's first request
    user = get_user_model().objects.get(username=READER)
    programme = AnnualProgramme.objects.get(year=YEAR)
    fund = TrustFund.objects.get(slug=FUND)
    everything = tf_selectors.Period(None, None)
    reports: dict[str, Callable[[str], str]] = {
        f"NUC report {YEAR}": lambda lang: anp_report.render_html(
            user=user, programme=programme, language=lang
        ),
        f"donor report {FUND}": lambda lang: tf_report.render_fund_html(
            user=user, fund=fund, period=everything, language=lang
        ),
    }
    print(f"BENCH_REPEAT={REPEAT} BENCH_COLD={COLD}, reader {READER}")
    print(
        "| report | HTML ms | PDF before ms | PDF after ms | after / before | pages | "
        "same pixels | first PDF of a process, before / after ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    pdf.warm_up()
    for name, render_html in reports.items():
        for lang in ("en", "uk"):
            html = render_html(lang)
            html_ms = statistics.median(timed(render_html, lang) for _ in range(3))
            old, new = before(html), pdf.html_to_pdf(html)
            old_pages = pages(old, work / name / lang / "before")
            same = old_pages == pages(new, work / name / lang / "after")
            times: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(REPEAT):
                gc.unfreeze()
                gc.collect()
                times["before"].append(timed(before, html))
                gc.collect()
                gc.freeze()
                times["after"].append(timed(pdf.html_to_pdf, html))
            gc.unfreeze()
            source = work / name / lang / "report.html"
            source.write_text(html, encoding="utf-8")
            cold = {}
            for way in ("before", "after"):
                runs = [
                    float(
                        subprocess.run(
                            [sys.executable, "-c", COLD_SCRIPT.format(root=str(ROOT)), source, way],
                            check=True,
                            capture_output=True,
                            text=True,
                        ).stdout.split()[-1]
                    )
                    for _ in range(COLD)
                ]
                cold[way] = statistics.median(runs) * 1000
            b = statistics.median(times["before"]) * 1000
            a = statistics.median(times["after"]) * 1000
            print(
                f"| {name} ({lang}) | {html_ms * 1000:,.0f} | {b:,.0f} | {a:,.0f} | "
                f"{a / b:.2f} | {len(old_pages)} | {'yes' if same else '**no**'} | "
                f"{cold['before']:,.0f} / {cold['after']:,.0f} |",
                flush=True,
            )
    print(f"pages drawn in {work}")


if __name__ == "__main__":
    main()
