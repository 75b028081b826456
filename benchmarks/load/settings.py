"""The production settings plus one bare Django view (`/bench/bare/`), the load test's yardstick."""

from partnership.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load.urls"
