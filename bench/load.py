"""The HTTP benchmark (``make bench-http``): gunicorn with production settings under a load generator.

Run: ``.venv/bin/python bench/load.py [--events N] [--duration S] [--connections C] [--rounds R]`` (default 10,000
events, 10 s per URL, 8 connections, 1 round). It compiles the byte-code first (as ``pip install`` does for a
deployment; see ``bench/bytecode.py``), builds a throw-away database (a SQLite file in a temporary
folder, or ``bench_<name>`` on PostgreSQL with ``DATABASE_URL``; never the developer's), fills it with
``bench/generate.py`` (one partner per 50 events), then starts gunicorn three times: with the caches on; with whole
answers off (``LEERSTAD_RESPONSE_CACHE=False``: every request builds its answer, as a new query string does, with
the routes, menus and lists kept under the content version), and with every cache off
(``LEERSTAD_FRAGMENT_CACHE_SECONDS=0`` turns off the response cache, the page fragments and the cached routes),
each time with production settings (``leerstad_site.settings.production``, 2 sync workers, Redis as the cache
when one answers on 127.0.0.1:6379, else each worker's own memory; persistent database connections), and runs
``wrk`` (Debian: ``apt-get install wrk``; else a small Python load generator, far slower itself) against:

- a bare Django view (``bench/urls.py``): the floor, what Django and gunicorn cost on this machine in this run;
- the agenda's first page, an event page, a partner page (its upcoming activities), the events API's first page
  and the JSON Feed;
- the agenda with a new search (``q``) on every request, which no cache can answer (wrk only).

It prints per URL: requests per second, the median latency, the SQL queries of one request (measured apart with
Django's test client, the second of two identical requests) and, per run, the workers' resident memory. It prints
figures and asserts nothing; the load generator runs on the same machine and takes CPU from the server.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale, Site  # noqa: E402

from bench.bytecode import compile_bytecode  # noqa: E402
from bench.generate import make_events, make_partners, make_site  # noqa: E402
from events.indexing import build_occurrences  # noqa: E402
from events.models import Occurrence  # noqa: E402
from learningcity.models import LearningCitySettings  # noqa: E402

EVENTS_PER_PARTNER = 50
# The caches of a run: "on" as in production; "build" without whole answers (each request builds its answer, as a new
# query string does, with the routes, menus and lists kept under the content version); "off" without any cache.
MODES = ("on", "build", "off")
HOST = "testserver"
SETTINGS = """from leerstad_site.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The pages' static files are not requested; without a manifest, no collectstatic is needed first.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
"""
SEARCH_SCRIPT = """counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "%s?q=word" .. counter .. "x" .. math.random(1, 1000000000))
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL and mode")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--modes", type=modes, default=MODES, help=f"of {', '.join(MODES)}, comma-separated")
    arguments = parser.parse_args()
    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if connection.vendor == "sqlite":  # a file, so that gunicorn's workers can open it too
            connection.settings_dict["TEST"]["NAME"] = str(folder / "bench.sqlite3")
        else:  # not test_<name>, which the test suite may be using meanwhile
            connection.settings_dict["TEST"]["NAME"] = f"bench_{connection.settings_dict['NAME']}"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(folder, arguments)
        finally:
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(folder: Path, arguments) -> None:
    compile_bytecode()
    started = time.perf_counter()
    urls = generate(arguments.events)
    print(f"generated {arguments.events:,} events in {time.perf_counter() - started:.0f} s ({connection.vendor})")
    redis = redis_url()
    generator = "wrk" if shutil.which("wrk") else "python"
    if generator == "python":
        print("wrk is not installed (Debian: apt-get install wrk); using the Python load generator, much slower")
    print(
        f"gunicorn: 2 sync workers, production settings, cache: {'Redis' if redis else 'local memory per worker'}; "
        f"load: {generator}, {arguments.connections} connections, {arguments.duration} s per URL, on this machine"
    )
    queries = {mode: query_counts(urls, mode=mode, redis=redis) for mode in arguments.modes}
    header = f"{'request':<32} {'cache':>5} {'req/s':>8} {'median ms':>9} {'queries':>7}"
    for round_number in range(1, arguments.rounds + 1):
        print(f"\nround {round_number}\n{header}\n{'-' * len(header)}")
        for mode in arguments.modes:
            with Server(folder, redis, mode=mode) as server:
                for label, url in urls.items():
                    if label == "agenda, new search each time" and generator != "wrk":
                        continue
                    server.warm_up(url)
                    rate, median = load(server.port, url, arguments, generator, search=label.endswith("each time"))
                    counted = queries[mode].get(label, "")
                    print(f"{label:<32} {mode:>5} {rate:>8.1f} {median:>9.2f} {counted:>7}", flush=True)
                memory = ", ".join(f"{rss:.0f} MB (peak {peak:.0f})" for rss, peak in server.worker_memory())
                print(f"{'':<32} {mode:>5} worker memory: {memory}")


def modes(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(mode.strip() for mode in text.split(",")))
    unknown = [mode for mode in chosen if mode not in MODES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"modes are {', '.join(MODES)}, not {', '.join(unknown) or 'none'}")
    return chosen


def generate(size: int) -> dict[str, str]:
    """The benchmark site with ``size`` events; returns the URLs to load, by label."""
    Locale.objects.get_or_create(language_code="nl")
    _home, agenda, directory = make_site()
    LearningCitySettings.for_site(Site.objects.get())  # made on a site's first request otherwise, which renews
    today = timezone.localdate()
    partners = make_partners(directory, max(1, size // EVENTS_PER_PARTNER))
    make_events(agenda, size, today, seed=size, partners=partners)
    build_occurrences(rebuild=True)
    if connection.vendor == "postgresql":
        # Planner statistics and the visibility map, as autovacuum keeps them in production: without the map a count
        # of the dates reads every row from the table instead of the date index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    upcoming = Occurrence.objects.upcoming().select_related("event").order_by("start").first()
    agenda_url = agenda.url
    return {
        "bare Django view": "/bench/bare/",
        "agenda, first page": agenda_url,
        "event page": upcoming.event.url,
        "partner page": partners[0].url,  # with its upcoming activities, as the agenda's ?partner= lists them
        "events API, first page": "/api/v3/events/",
        "JSON Feed": "/feeds/events.json",
        "agenda, new search each time": agenda_url,
    }


def redis_url() -> str:
    """The local Redis's benchmark database when one answers, else ''."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return ""
    return "redis://127.0.0.1:6379/15"


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def query_counts(urls: dict[str, str], *, mode: str, redis: str) -> dict[str, int]:
    """The SQL queries of one request per URL, with Django's test client in this process.

    Cache on: the second of two identical requests (the cache as the server's: Redis when it answers); cache off:
    the second request too (the first of a process reads content types, which every process then keeps). A new
    search is a new query string each time.
    """
    cache_settings = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-http"}
    if redis:
        prefix = f"leerstad-bench-http-counts-{os.getpid()}"
        cache_settings = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis,
            "KEY_PREFIX": prefix,
        }
    client = Client(HTTP_HOST=HOST)
    counts = {}
    with override_settings(
        ROOT_URLCONF="bench.urls",
        LEERSTAD_FRAGMENT_CACHE_SECONDS=0 if mode == "off" else 300,
        LEERSTAD_RESPONSE_CACHE=mode == "on",
        CACHES={"default": cache_settings},
    ):
        caches["default"].clear()
        for label, url in urls.items():
            searched = label.endswith("each time")
            client.get(f"{url}?q=first" if searched else url)
            with CaptureQueriesContext(connection) as captured:
                client.get(f"{url}?q=second" if searched else url)
            counts[label] = len(captured)
        caches["default"].clear()
    return counts


class Server:
    """gunicorn with production settings, 2 sync workers, on a free port, for the ``with`` block."""

    def __init__(self, folder: Path, redis: str, *, mode: str):
        (folder / "bench_http_settings.py").write_text(SETTINGS)
        self.log = folder / "gunicorn.log"
        self.port = free_port()
        self.environment = {
            **{key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL"}},
            "DJANGO_SETTINGS_MODULE": "bench_http_settings",
            "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT), str(ROOT / "site")]),
            "SECRET_KEY": "bench-only-not-secret",
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "60",
            "LEERSTAD_FRAGMENT_CACHE_SECONDS": "0" if mode == "off" else "300",
            "LEERSTAD_RESPONSE_CACHE": "1" if mode == "on" else "0",
            "LOG_LEVEL": "WARNING",
        }
        if redis:
            self.environment.update(REDIS_URL=redis, CACHE_KEY_PREFIX=f"leerstad-bench-http-{os.getpid()}")

    def __enter__(self):
        connection.close()  # SQLite: let the workers have the file
        command = [
            sys.executable,
            *("-m", "gunicorn", "leerstad_site.wsgi"),
            *("--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}"),
        ]
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (our own command)
            command, cwd=ROOT, env=self.environment, stdout=self.log_file, stderr=self.log_file
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/healthz")[0] == 200:
                    self.clear_cache()
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc_info):
        self.clear_cache()
        self.stop()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()

    def clear_cache(self) -> None:
        prefix = self.environment.get("CACHE_KEY_PREFIX")
        if prefix:
            import redis

            client = redis.Redis.from_url(self.environment["REDIS_URL"])
            for key in client.scan_iter(match=f"{prefix}:*"):
                client.delete(key)
            client.close()

    def warm_up(self, url: str) -> None:
        for _request in range(4):  # each worker: its connection, its caches
            status, _body = get(self.port, url)
            if status != 200:
                raise SystemExit(f"{url}: HTTP {status}\n{self.log.read_text()[-3000:]}")

    def worker_memory(self) -> list[tuple[float, float]]:
        """Each worker's resident and peak resident memory in MB."""
        workers = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.process.pid):
                workers.append(tuple(int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")))
        return sorted(workers)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, connection_=None) -> tuple[int, bytes]:
    client = connection_ or HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        client.request("GET", path, headers={"Host": HOST})
        response = client.getresponse()
        return response.status, response.read()
    finally:
        if connection_ is None:
            client.close()


def load(port: int, url: str, arguments, generator: str, *, search: bool = False) -> tuple[float, float]:
    """Requests per second and the median latency in ms of ``url`` under load."""
    if generator == "wrk":
        return wrk(port, url, arguments, search=search)
    return python_load(port, url, arguments)


def wrk(port: int, url: str, arguments, *, search: bool) -> tuple[float, float]:
    command = ["wrk", "-t2", f"-c{arguments.connections}", f"-d{arguments.duration}s", "--latency"]
    command += ["-H", f"Host: {HOST}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if search:
            script.write(SEARCH_SCRIPT % url)
            script.flush()
            command += ["-s", script.name]
        output = subprocess.run(  # noqa: S603 (our own command)
            [*command, f"http://127.0.0.1:{port}{url}"], capture_output=True, text=True, check=True
        ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    number, unit = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", output).groups()
    median = float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    if "Non-2xx" in output:
        print(f"  (non-2xx answers for {url}: {re.search(r'Non-2xx.*', output).group(0)})")
    return rate, median


def python_load(port: int, url: str, arguments) -> tuple[float, float]:
    """A small closed-loop load generator: ``connections`` threads with a keep-alive connection each."""
    latencies: list[float] = []
    deadline = time.monotonic() + arguments.duration
    lock = threading.Lock()

    def client():
        mine, kept = [], HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            get(port, url, kept)
            mine.append(time.perf_counter() - started)
        kept.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _n in range(arguments.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / arguments.duration, statistics.median(latencies) * 1000


if __name__ == "__main__":
    main()
