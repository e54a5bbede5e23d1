"""The machine a benchmark ran on, and a small timing helper shared by the two benchmark scripts.

Uses only the standard library and the project's own dependencies, so the benchmarks run from a clean clone.
"""

from __future__ import annotations

import datetime as _dt
import gc
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable

CHROMIUM = "/usr/bin/chromium"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def project_state() -> str:
    """The commit the benchmarked code is at, and whether the working tree differs from it."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        sha = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    if not sha:
        return "unknown (not a git checkout)"
    return sha + (f" + uncommitted changes in {len(dirty)} tracked files" if dirty else " (clean)")


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages: other work on the machine makes every figure noisier."""
    try:
        with open("/proc/loadavg", encoding="utf-8") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def chromium_version(path: str = CHROMIUM) -> str:
    if not shutil.which(path):
        return "not found"
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    m = re.search(r"Chromium\s+([\d.]+)", out)
    return m.group(1) if m else (out.strip() or "unknown")


def machine_lines(extra: dict[str, str] | None = None, chromium: bool = True) -> list[str]:
    """One line per fact: date, CPU model, cores, RAM, OS, Python and library versions."""
    import numpy
    import pandas
    import streamlit

    try:
        import plotly
        plotly_v = plotly.__version__
    except ImportError:
        plotly_v = "not installed"
    facts = {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} logical (affinity {len(os.sched_getaffinity(0))})",
        "ram": _ram_gib(),
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "plotly": plotly_v,
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
    }
    if chromium:
        facts["chromium"] = chromium_version()
    facts["OPENBLAS_NUM_THREADS"] = os.environ.get("OPENBLAS_NUM_THREADS") or "not set (OpenBLAS may use every core)"
    facts["project commit"] = project_state()
    facts["load average at start"] = load_average()
    facts |= extra or {}
    width = max(map(len, facts))
    return [f"{k:<{width}} : {v}" for k, v in facts.items()]


def print_machine(title: str, extra: dict[str, str] | None = None, chromium: bool = True) -> None:
    print(title)
    print("=" * len(title))
    for line in machine_lines(extra, chromium):
        print(line)
    print()


class Timing:
    """Repeated timings of one callable: ``samples`` are seconds per call (each sample may batch several calls)."""

    def __init__(self, samples: list[float], inner: int):
        self.samples = samples
        self.inner = inner

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def repeats(self) -> int:
        return len(self.samples)

    def label(self) -> str:
        return f"{self.repeats}x{self.inner}" if self.inner > 1 else f"{self.repeats}"


def measure(fn: Callable[[], object], budget: float, min_repeats: int = 5, max_repeats: int = 101,
            min_sample: float = 0.01) -> Timing:
    """Median-ready timings of ``fn``.

    One untimed warm-up call estimates its cost. Calls shorter than ``min_sample`` are batched so that each sample
    lasts at least that long (as ``timeit`` does); the number of samples is what fits in ``budget`` seconds,
    clamped to [min_repeats, max_repeats].
    """
    gc.collect()
    t0 = time.perf_counter()
    fn()
    est = max(time.perf_counter() - t0, 1e-7)
    inner = max(1, math.ceil(min_sample / est))
    repeats = int(min(max_repeats, max(min_repeats, budget / (est * inner))))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return Timing(samples, inner)


def fmt_time(seconds: float) -> str:
    """A duration with a unit that keeps 3 significant figures readable."""
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def print_table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> None:
    right = right or set()
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
