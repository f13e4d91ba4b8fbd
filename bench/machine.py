"""What the figures were measured on."""

import os
import platform
from pathlib import Path

from django.db import connection


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "okänd"


def ram_gb():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def postgresql_version():
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        return cur.fetchone()[0]


def describe():
    return [
        ("machine cpu", cpu_model(), ""),
        ("machine cores", os.cpu_count(), ""),
        ("machine ram", f"{ram_gb():.1f}", "GB"),
        ("postgresql", postgresql_version(), ""),
        ("python", platform.python_version(), ""),
    ]
