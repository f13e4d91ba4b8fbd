"""`make bench`: build the bench database, measure, print `name: value unit` lines, drop it."""

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import database

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench-results" / "latest.txt"

# Targets from the brief.
MAX_REPORT_WARM_RATIO = 1.5  # report page warm, against the same bytes as a static file
MAX_REPORT_COLD_MS = 150  # report page with an empty cache, large data set
MAX_QUERIES = 15  # per page
MAX_IMPORT_SECONDS = 10  # 100 000 values: "within seconds"
MIN_IMPORT_RATE = 100_000  # values/s, with history rows, as drafts, through the write policy
MAX_FIRST_PAGE_KB = 600  # compressed, with its CSS and JS
MAX_RANDOM_QUERY_RATIO = 2  # report requests with a random query string against the plain cached one
MAX_XLSX_COLD_SECONDS = 10  # /data/values.xlsx at 10x with an empty cache: well inside gunicorn's 30 s
# The cached pages' p99 while the uncached API is under load, against their p99 with nothing else running.
CACHED_PAGES = ["/", "/mal/1/"]
API_LOAD_SECONDS = 10
API_LOAD_CONNECTIONS = 16
MAX_LOADED_P99_RATIO = 2


class Report:
    def __init__(self):
        self.lines = []
        self.targets = []

    def line(self, name, value, unit=""):
        text = f"{name}: {value} {unit}".rstrip()
        print(text, flush=True)
        self.lines.append(text)

    def target(self, name, met, detail):
        verdict = "not measured" if met is None else ("met" if met else "NOT met")
        self.targets.append((name, verdict, detail))

    def section(self, title, measure, *args):
        """Run one measurement; a failure is reported and the others still run."""
        try:
            measure(self, *args)
        except Exception as exc:  # noqa: BLE001 - one broken page must not hide the other figures
            self.line(f"{title} error", f"{type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)

    def finish(self):
        for name, verdict, detail in self.targets:
            self.line(f"target {name}", verdict, f"({detail})")
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def status_text(status):
    return "404 (sidan finns inte än)" if status == 404 else f"HTTP {status}"


def measure_queries(report, label, paths, counts):
    from .pages import count_queries, new_client

    client = new_client()
    for path in paths:
        status, queries = count_queries(client, path)
        if status == 200:
            report.line(f"queries {label} {path}", queries, "queries")
            counts[(label, path)] = queries
        else:
            report.line(f"queries {label} {path}", status_text(status))


def measure_page_times(report, paths):
    from .pages import fetch, median_ms, new_client

    client = new_client()
    for path in paths:
        status, _ = fetch(client, path)  # also the warm-up
        if status != 200:
            report.line(f"time 10x {path}", status_text(status))
            continue
        report.line(f"time 10x {path} warm median", f"{median_ms(client, path, 9):.1f}", "ms")


def measure_downloads(report, paths, results):
    """Each download cold (a new page version: written again) and cached (sent from the stored file)."""
    from .pages import count_queries, fetch, median_ms, milliseconds, new_client

    client = new_client()
    for path in paths:
        status, queries = count_queries(client, path)  # empties the cache: a new version
        if status != 200:
            report.line(f"download {path}", status_text(status))
            continue
        cold = milliseconds(client, path, clear_cache=True)
        size = len(fetch(client, path)[1])
        cached = median_ms(client, path, 9)
        report.line(f"download 10x {path} cold", f"{cold:.0f}", f"ms ({size / 1024 / 1024:.1f} MB, {queries} queries)")
        report.line(f"download 10x {path} cached median", f"{cached:.1f}", "ms")
        results.setdefault("downloads", {})[path] = cold


def measure_report_page(report, static_root, results):
    from django.core.cache import cache

    from .pages import REPORT_PAGE, fetch, median_ms, milliseconds, new_client

    client = new_client()
    cache.clear()
    start = time.perf_counter()
    status, body = fetch(client, REPORT_PAGE)
    first = (time.perf_counter() - start) * 1000
    if status != 200:
        report.line("report page", status_text(status))
        return
    report.line("report page size", len(body), "bytes")
    report.line("report page first request after start", f"{first:.1f}", "ms")
    cold = median_ms(client, REPORT_PAGE, 7, clear_cache=True)
    warm = median_ms(client, REPORT_PAGE, 21)
    report.line("report page cold (empty cache) median", f"{cold:.1f}", "ms")
    report.line("report page warm median", f"{warm:.1f}", "ms")

    # The very same bytes as a file under STATIC_ROOT, served by whitenoise in the same stack.
    static_file = Path(static_root) / "bench" / "lagesrapport-2024.html"
    static_file.parent.mkdir(parents=True, exist_ok=True)
    static_file.write_bytes(body)
    static_client = new_client()
    static_url = "/static/bench/lagesrapport-2024.html"
    milliseconds(static_client, static_url)
    static = median_ms(static_client, static_url, 21)
    report.line("report page as static file median", f"{static:.2f}", "ms")
    report.line("report page warm / static", f"{warm / static:.1f}", "×")
    results.update(cold=cold, warm=warm, static=static, static_url=static_url)


def measure_transfer(report, paths, results):
    """Each public page with everything it makes the browser load, gzipped.

    The start page draws no chart; on the goal, indicator and report pages plotly.js is
    counted too (a reader who asks for an interactive chart loads it), so the target is
    checked on the heaviest of them.
    """
    from .pages import new_client, transfer_sizes

    client = new_client()
    totals = {}
    seen = set()
    for path in paths:
        sizes = transfer_sizes(client, path)
        if sizes[0][1] != 200:
            report.line(f"transfer {path}", status_text(sizes[0][1]))
            continue
        total = 0
        for url, status, raw, gz in sizes:
            if status != 200:
                report.line(f"transfer {url}", status_text(status) if isinstance(status, int) else status)
                continue
            if url not in seen:
                seen.add(url)
                report.line(f"transfer {url}", f"{gz / 1024:.1f}", f"KB gzip ({raw / 1024:.1f} KB raw)")
            total += gz
        report.line(f"transfer total {path} with its assets", f"{total / 1024:.1f}", "KB gzip")
        totals[path] = total / 1024
    if totals:
        heaviest = max(totals, key=totals.get)
        results.update(first_page=heaviest, first_page_kb=totals[heaviest])


def measure_server(report, env, paths, results):
    from .pages import REPORT_PAGE
    from .server import WORKERS, Gunicorn, get, requests_per_second

    html_pages = paths
    with Gunicorn(env) as server:
        for path in html_pages + [results.get("static_url", "/static/css/site.css")]:
            status, _ = get(server.port, path)
            if status != 200:
                report.line(f"gunicorn {WORKERS}w {path}", status_text(status))
                continue
            rate, failed, tool = requests_per_second(server.port, path)
            suffix = f"req/s ({tool}, {failed} failed)" if failed else f"req/s ({tool})"
            report.line(f"gunicorn {WORKERS}w {path}", f"{rate:.0f}", suffix)
            if path == REPORT_PAGE:
                results["report_rps"] = rate
        if "report_rps" in results:
            # A cache buster per request: unknown query parameters must not make new pages.
            rate, failed, tool = requests_per_second(server.port, REPORT_PAGE, randomise=True)
            suffix = f"req/s ({tool}, {failed} failed)" if failed else f"req/s ({tool})"
            report.line(f"gunicorn {WORKERS}w {REPORT_PAGE}?<random query>", f"{rate:.0f}", suffix)
            results["report_random_rps"] = rate if not failed else 0.0


def measure_api_under_load(report, env, results):
    """The cached pages' p99 with nothing else running, then while the uncached API is under load:
    from clients that wait as a 503's Retry-After asks, then from clients that ask again at once."""
    from indicators.models import Indicator

    from .server import WORKERS, Gunicorn, UncachedLoad, get, latencies, percentile

    # The indicators that have values: an empty list costs next to nothing.
    with_values = Indicator.objects.filter(series__values__state="approved").distinct()
    api = [f"/api/v1/indicators/{slug}/values/" for slug in with_values.values_list("slug", flat=True)]
    pages = f"gunicorn {WORKERS}w cached pages ({', '.join(CACHED_PAGES)})"
    with Gunicorn(env) as server:
        for path in CACHED_PAGES:
            status, _ = get(server.port, path)  # now cached
            if status != 200:
                report.line(pages, status_text(status))
                return
        quiet, _ = latencies(server.port, CACHED_PAGES, API_LOAD_SECONDS)
        quiet_p99 = percentile(quiet, 0.99)
        report.line(f"{pages} quiet p50 / p99", f"{percentile(quiet, 0.5):.1f} / {quiet_p99:.1f}",
                    f"ms ({len(quiet)} requests)")
        results["quiet_p99"] = quiet_p99
        for polite, clients in ((True, "that wait for Retry-After"), (False, "that ask again at once")):
            with UncachedLoad(server.port, api, API_LOAD_CONNECTIONS, polite=polite) as load:
                loaded, failed = latencies(server.port, CACHED_PAGES, API_LOAD_SECONDS)
            answered, refused = load.rates.get("200", 0), load.rates.get("503", 0)
            other = sum(rate for status, rate in load.rates.items() if status not in ("200", "503"))
            label = f"uncached API, {API_LOAD_CONNECTIONS} clients {clients}"
            report.line(
                f"gunicorn {WORKERS}w {label} ({len(api)} indicators' values, each evicted from the cache after its answer)",
                f"{answered:.1f} answered, {refused:.0f} refused (503)", f"req/s{f', {other:.0f} other' if other else ''}",
            )
            loaded_p99 = percentile(loaded, 0.99) if loaded else float("inf")
            report.line(
                f"{pages} p50 / p99 meanwhile ({label})",
                f"{percentile(loaded, 0.5) if loaded else float('inf'):.1f} / {loaded_p99:.1f}",
                f"ms ({len(loaded)} requests, {failed} failed; quiet p99 {quiet_p99:.1f} ms)",
            )
            if polite:
                results.update(loaded_p99=loaded_p99, loaded_failed=failed)


def measure_lighthouse(report, env, results):
    from . import lighthouse
    from .server import Gunicorn

    why_not = lighthouse.missing()
    if why_not:
        report.line("lighthouse", why_not)
        return
    with Gunicorn(env) as server:
        measured = lighthouse.measure(server.port)
    for path, (scores, tbt, lcp) in measured.items():
        report.line(
            f"lighthouse mobile {path}",
            " ".join(f"{name} {scores[name]}" for name in lighthouse.CATEGORIES),
            f"TBT {tbt:.0f} ms LCP {lcp / 1000:.1f} s",
        )
    results["lighthouse"] = measured


def measure_import(report, client_factory, results):
    from indicators.models import Value

    from .imports import copy_seconds, find_importer, floor_seconds, import_seconds, status_report_queries
    from .pages import fetch

    status, data = fetch(client_factory(), "/data/values.csv")
    if status != 200:
        report.line("import", "ingen CSV att importera: /data/values.csv " + status_text(status))
        return
    rows = data.count(b"\n") - 1
    report.line("import csv", rows, f"rows, {len(data) / 1024 / 1024:.1f} MB")
    seconds, copied = copy_seconds(data)
    report.line("import postgresql COPY (limit)", f"{copied / seconds:.0f}", f"values/s ({seconds:.2f} s)")
    importer = find_importer()
    if importer is None:
        report.line("import importer", "indicators.importing.import_values_csv finns inte än")
        return
    limit = copied / seconds
    seconds, written, errors = import_seconds(importer, data)
    report.line("import importer", f"{written / seconds:.0f}", f"values/s ({written} values in {seconds:.1f} s, "
                "as drafts with a history row each, through the write policy)")
    report.line("import importer / COPY", f"{written / seconds / limit:.2f}", "× the limit")
    if errors:
        report.line("import importer rejected rows", errors, "rows")
    results.update(import_seconds=seconds, imported=written, import_rows=rows, import_errors=errors,
                   import_rate=written / seconds)
    assert Value.objects.count() == written
    # What bounds it: the same rows written by bare COPY into the values and history tables themselves.
    parts, copied = floor_seconds()
    floor = sum(parts.values())
    report.line("import floor (COPY into the values and history tables)", f"{copied / floor:.0f}",
                f"values/s ({floor:.2f} s: " + ", ".join(f"{name} {s:.2f} s" for name, s in parts.items())
                + "; with their indexes and the foreign-key checks)")
    report.line("import importer / floor", f"{written / seconds / (copied / floor):.2f}", "× the floor")
    results.update(import_floor_rate=copied / floor, import_floor_parts=parts)
    assert Value.objects.count() == written
    one, hundred = status_report_queries()
    report.line("import status reports queries", f"{one} / {hundred}", "queries for 1 / 100 rows")
    results.update(status_queries=(one, hundred))


def measure_pdf(report):
    """The 2024 edition's PDF as the worker makes it after loading (publication queues it): time, pages, bytes."""
    from django_tasks_db.management.commands.db_worker import Worker

    from reports.models import EditionPdf

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="bench", excluded_queue_names=[])
    start = time.perf_counter()
    worker.run()  # every queued job: loading the real data queued only the PDF
    seconds = time.perf_counter() - start
    pdf = EditionPdf.objects.defer("content").get(edition__year=2024)
    if not pdf.is_ready:
        report.line("pdf 2024 edition", pdf.get_state_display(), pdf.error[:200])
        return
    report.line("pdf 2024 edition generated by the worker", f"{seconds:.1f}", "s")
    report.line("pdf 2024 edition pages", pdf.pages, "pages")
    report.line("pdf 2024 edition size", pdf.bytes, f"bytes ({pdf.bytes / 1024:.0f} KB)")


def main():
    url = database.bench_url()
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = database.production_environment(url, static_root)
    os.environ.update(env)
    for name in ("DEBUG", "DEMO_MODE"):
        os.environ.pop(name, None)

    started = time.perf_counter()
    database.recreate(url)
    report = Report()
    try:
        run(report, env, static_root)
    finally:
        from django.db import connections

        connections.close_all()
        database.drop(url)
    report.line("bench total", f"{time.perf_counter() - started:.0f}", "s")
    report.finish()


def run(report, env, static_root):
    # `python -m bench import`: only the setup, the large data set and the import figures.
    only_import = sys.argv[1:] == ["import"]
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from indicators.models import Value
    from reports.management.commands.load_real_data import load_all

    from . import dataset, machine, pages

    for name, value, unit in machine.describe():
        report.line(name, value, unit)
    setup_start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)

    load_all()
    report.line("bench setup (migrate, collectstatic, real data)", f"{time.perf_counter() - setup_start:.1f}", "s")
    real = Value.objects.published().count()
    report.line("values 1x (real data, approved)", real, "values")
    paths = pages.page_paths()
    counts = {}
    results = {}
    if not only_import:
        # The edition's snapshot is frozen: its PDF is the same at 10x, so it is measured once here.
        report.section("pdf", measure_pdf)
        report.section("queries 1x", measure_queries, "1x", paths, counts)
        # The pages a reader gets: the real data, under gunicorn with the production settings.
        report.section("lighthouse", measure_lighthouse, env, results)

    start = time.perf_counter()
    added = dataset.grow()
    # COPY sends no signals, so nothing told the page cache that the data changed.
    cache.clear()
    large = Value.objects.published().count()
    report.line("values 10x (approved)", large, f"values (+{added} in {time.perf_counter() - start:.1f} s, "
                f"{large / max(real, 1):.0f} × the real data)")
    paths = pages.page_paths()  # the busiest indicator may have changed
    if not only_import:
        report.section("queries 10x", measure_queries, "10x", paths, counts)
        report.section("page times", measure_page_times, paths)
        report.section("downloads", measure_downloads, pages.page_paths(pages.DOWNLOADS), results)
        report.section("report page", measure_report_page, static_root, results)
        report.section("transfer", measure_transfer, paths, results)
        report.section("gunicorn", measure_server, env, paths, results)
        report.section("api under load", measure_api_under_load, env, results)
    report.section("import", measure_import, pages.new_client, results)

    if "warm" in results:
        ratio = results["warm"] / results["static"]
        report.target(f"report warm ≤ {MAX_REPORT_WARM_RATIO}× static", ratio <= MAX_REPORT_WARM_RATIO, f"{ratio:.1f}×")
        report.target(f"report cold < {MAX_REPORT_COLD_MS} ms at 10x", results["cold"] < MAX_REPORT_COLD_MS,
                      f"{results['cold']:.0f} ms")
    else:
        report.target("report page", None, "/lagesrapport/2024/ finns inte än")
    if "report_random_rps" in results:
        ratio = results["report_rps"] / max(results["report_random_rps"], 1e-9)
        report.target(f"report with a random query within {MAX_RANDOM_QUERY_RATIO}× of the plain cached request",
                      ratio <= MAX_RANDOM_QUERY_RATIO,
                      f"{results['report_random_rps']:.0f} against {results['report_rps']:.0f} req/s, {ratio:.2f}×")
    else:
        report.target("report with a random query", None, "not measured")
    xlsx_cold = results.get("downloads", {}).get("/data/values.xlsx")
    if xlsx_cold is not None:
        report.target(f"/data/values.xlsx cold ≤ {MAX_XLSX_COLD_SECONDS} s at 10x", xlsx_cold <= MAX_XLSX_COLD_SECONDS * 1000,
                      f"{xlsx_cold / 1000:.1f} s")
    else:
        report.target("/data/values.xlsx cold", None, "not measured")
    if "loaded_p99" in results:
        ratio = results["loaded_p99"] / results["quiet_p99"]
        report.target(
            f"cached pages' p99 during uncached API load (clients that wait for Retry-After) within "
            f"{MAX_LOADED_P99_RATIO}× of quiet",
            ratio <= MAX_LOADED_P99_RATIO and not results["loaded_failed"],
            f"{results['loaded_p99']:.1f} against {results['quiet_p99']:.1f} ms, {ratio:.2f}×",
        )
    else:
        report.target("cached pages during uncached API load", None, "not measured")
    if counts:
        worst = max(counts, key=counts.get)
        report.target(f"≤ {MAX_QUERIES} queries per page", counts[worst] <= MAX_QUERIES,
                      f"most: {counts[worst]} on {worst[1]} at {worst[0]}; {len(counts)} page measurements")
    if "import_seconds" in results:
        complete = results["imported"] == results["import_rows"] and not results["import_errors"]
        report.target(f"import of {results['import_rows']} values < {MAX_IMPORT_SECONDS} s",
                      complete and results["import_seconds"] < MAX_IMPORT_SECONDS,
                      f"{results['import_seconds']:.1f} s, {results['imported']} written")
        report.target(f"importer ≥ {MIN_IMPORT_RATE} values/s", complete and results["import_rate"] >= MIN_IMPORT_RATE,
                      f"{results['import_rate']:.0f} values/s"
                      + (f"; the tables' own floor is {results['import_floor_rate']:.0f} values/s"
                         if "import_floor_rate" in results else ""))
        one, hundred = results["status_queries"]
        report.target("status-report import queries for 1 and 100 rows equal", one == hundred, f"{one} and {hundred}")
    else:
        report.target("import", None, "importer or CSV missing")
    if "lighthouse" in results:
        from . import lighthouse

        measured = results["lighthouse"]
        performance = min(scores["performance"] for scores, _tbt, _lcp in measured.values())
        others = min(scores[c] for scores, _tbt, _lcp in measured.values() for c in lighthouse.CATEGORIES[1:])
        tbt = max(t for _scores, t, _lcp in measured.values())
        report.target(f"lighthouse performance ≥ {lighthouse.MIN_PERFORMANCE}", performance >= lighthouse.MIN_PERFORMANCE,
                      f"lowest {performance}")
        report.target(f"lighthouse other categories = {lighthouse.MIN_OTHER}", others >= lighthouse.MIN_OTHER,
                      f"lowest {others}")
        report.target(f"lighthouse TBT ≤ {lighthouse.MAX_TBT_MS} ms", tbt <= lighthouse.MAX_TBT_MS, f"highest {tbt:.0f} ms")
    else:
        report.target("lighthouse", None, "not run")
    if "first_page_kb" in results:
        report.target(f"every public page < {MAX_FIRST_PAGE_KB} KB gzip", results["first_page_kb"] < MAX_FIRST_PAGE_KB,
                      f"{results['first_page_kb']:.0f} KB, {results['first_page']}")
    else:
        report.target("first page size", None, "no public page yet")


if __name__ == "__main__":
    main()
