"""Lighthouse on the public pages: the four category scores and TBT/LCP per page.

Lighthouse is the npm package pinned in package.json/package-lock.json and installed
into the project's own node_modules (`make bench` runs `npm ci` for it), driven
against Debian's Chromium (/usr/bin/chromium) with Lighthouse's default mobile
profile (a mid-range phone's screen, simulated slow 4G and a 4× slower CPU). The
site is served by gunicorn with the production settings and the real data, as a
reader would get it. Each page is measured RUNS times and the run with the median
performance score is reported, since one run on a shared machine is noisy.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
# An indicator page, a goal page and the others the brief names.
PAGES = ["/", "/mal/2/", "/indikatorer/kriminalvarden-behandlingsprogram-vnr/", "/indikatorer/", "/lagesrapport/2024/"]

# Targets from the brief.
MIN_PERFORMANCE = 95
MIN_OTHER = 100
MAX_TBT_MS = 200


def missing():
    """Why Lighthouse cannot run here, or "" when it can."""
    if not LIGHTHOUSE.exists():
        return "Lighthouse saknas (node_modules/.bin/lighthouse): kör `npm ci` i projektet"
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium saknas ({CHROMIUM})"
    return ""


def run_once(url):
    """One Lighthouse run → (scores by category, TBT ms, LCP ms)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        "--form-factor=mobile",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=" + " ".join(CHROME_FLAGS),
    ]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    done = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse {url}: {done.stderr.strip()[-500:]}")
    result = json.loads(done.stdout)
    if result.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url}: {result['runtimeError'].get('message')}")
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    audits = result["audits"]
    return scores, audits["total-blocking-time"]["numericValue"], audits["largest-contentful-paint"]["numericValue"]


def run_retrying(url, attempts=3):
    """run_once, again when Lighthouse fails to record the page load (NO_NAVSTART and the like
    happen now and then on a busy machine and say nothing about the page)."""
    for _ in range(attempts - 1):
        try:
            return run_once(url)
        except RuntimeError:
            pass
    return run_once(url)


def measure(port):
    """{path: (scores, tbt, lcp)} for every page, the median run by performance."""
    results = {}
    for path in PAGES:
        runs = [run_retrying(f"http://127.0.0.1:{port}{path}") for _ in range(RUNS)]
        runs.sort(key=lambda run: run[0]["performance"])
        median = runs[len(runs) // 2]
        results[path] = median
    return results
