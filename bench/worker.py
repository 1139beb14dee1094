"""The memory of one web worker: a fresh process that serves the agenda, feeds and API as a worker would.

Run by ``bench/agenda.py`` after each size, against the benchmark's database (``DATABASE_URL``); prints the
worker's peak resident memory in MB after ``REQUESTS`` rounds of the URLs given on the command line. The
benchmark process itself holds the generator's data too, so it is no measure of a worker.
"""

import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

ROUNDS = 20


def main(urls: list[str]) -> None:
    client = Client()
    cache.clear()  # database 15 of the local Redis is the benchmark's own (see bench/agenda.py)
    with override_settings(ROOT_URLCONF="bench.urls", LEERSTAD_FRAGMENT_CACHE_SECONDS=300):
        for _round in range(ROUNDS):
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}")
    cache.clear()
    print(f"{peak_memory_mb():.0f}")


def peak_memory_mb() -> float:
    """This process's peak resident memory. ``getrusage`` would report the parent's when that was larger (Linux
    carries the high-water mark over ``fork`` and ``exec``); ``VmHWM`` is this process's own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main(sys.argv[1:])
