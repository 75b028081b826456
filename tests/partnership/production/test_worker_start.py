"""A production worker's start: the PDF renderer warmed up, the loaded heap frozen."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from partnership.core import pdf
from partnership.production import server


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def _join_warm_up() -> None:
    for thread in threading.enumerate():
        if thread.name == "pdf-warm-up":
            thread.join(timeout=120)


def test_a_starting_worker_warms_up_in_a_thread_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a warm-up that takes its time
    release = threading.Event()
    monkeypatch.setattr(pdf, "warm_up", lambda: release.wait(30))
    # When a worker starts, then it returns at once (it answers requests meanwhile)
    server._worker_started(None)
    assert any(t.name == "pdf-warm-up" for t in threading.enumerate())
    release.set()
    _join_warm_up()


def test_the_worker_is_set_to_warm_up_before_its_first_request() -> None:
    # Given the production server's settings
    app = server.ProductionServer(server.ServerOptions(worker=False))
    # Then gunicorn calls the start-up step in each worker, after the app is loaded
    assert app.cfg.post_worker_init is server._worker_started  # type: ignore[union-attr]


def test_a_started_worker_has_rendered_a_pdf_and_frozen_its_heap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a worker about to take requests
    calls: list[str] = []
    real = pdf.html_to_pdf

    def counted(html: str) -> bytes:
        calls.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", counted)
    # When it starts, and its warm-up thread is done
    server._worker_started(None)
    _join_warm_up()
    # Then it has rendered the warm-up reports (English and Ukrainian) and frozen what it holds
    assert len(calls) == 2 and all(html.startswith("<!doctype html>") for html in calls)
    assert gc.get_freeze_count() > 0


def test_a_renderer_that_fails_to_warm_up_leaves_the_worker_serving(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a renderer that cannot start (no Pango on the machine, say)
    def broken() -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "warm_up", broken)
    # When a worker starts, then it goes on, the failure logged
    server._worker_started(None)
    _join_warm_up()
    assert "could not be warmed up" in caplog.text
    assert gc.get_freeze_count() > 0
