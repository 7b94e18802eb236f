"""The benchmark: every speed target of slsreview, measured in one run, printed as a table.

    python bench/run.py              # full run (about two minutes on 2 cores)
    python bench/run.py --quick      # fewer repetitions, smaller monorepos

Measures (median of several runs, wall clock, on this machine's cores):

- ``slsreview --version`` start-up;
- ``slsreview check`` on one small sample project, and cfn-lint on the same template when
  cfn-lint is on PATH;
- templates alone: a few hundred generated SAM templates, slsreview against cfn-lint;
- a generated 200-function monorepo (half Python, half Node, plus Workers): cold (empty cache)
  and warm (nothing changed) runs, the bare parse floor of the same files measured in-process in
  the same run, and peak memory;
- linear growth: cold runs at 100, 200 and 400 functions.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import generate  # noqa: E402

PYTHON = sys.executable


def timed(command: list[str], cwd: Path, runs: int, before: Callable[[], None] | None = None) -> tuple[float, float]:
    """(median seconds, peak MiB of the slowest run) of a command, each run in a fresh wrapper."""
    times, peaks = [], []
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    for _ in range(runs):
        if before:
            before()
        out = subprocess.run([PYTHON, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True).stdout
        seconds, kib = out.split()
        times.append(float(seconds))
        peaks.append(int(kib) / 1024)
    return statistics.median(times), max(peaks)


def bare_parse_floor(root: Path, runs: int) -> float:
    """Seconds to parse every reviewed file with the bare parsers, nothing else (median)."""
    import tomllib

    import libcst
    import yaml

    from slsreview.analysis import treesitter

    files = [p for p in root.rglob("*") if p.is_file() and ".slsreview_cache" not in p.parts]
    texts = [(p, p.read_text(encoding="utf-8")) for p in files]

    def once() -> None:
        for path, text in texts:
            if path.suffix in (".yaml", ".yml"):
                loader = yaml.CSafeLoader(text)
                while loader.check_event():
                    loader.get_event()
                loader.dispose()
            elif path.suffix == ".py":
                libcst.parse_module(text)
            elif path.suffix in (".js", ".mjs", ".ts"):
                treesitter.parse(text, "typescript" if path.suffix == ".ts" else "javascript")
            elif path.suffix == ".toml":
                tomllib.loads(text)

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        once()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    cores = os.cpu_count() or 1
    slsreview = [PYTHON, "-m", "slsreview"]
    cfn_lint = shutil.which("cfn-lint")
    rows: list[tuple[str, str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="slsreview-bench-"))

    version, _ = timed([*slsreview, "--version"], work, runs * 2)
    bare, _ = timed([PYTHON, "-c", "pass"], work, runs * 2)
    rows.append(("slsreview --version", f"{version * 1000:.0f} ms (python itself: {bare * 1000:.0f} ms)", "small"))

    sample = ROOT / "sample_projects" / "careful-orders"
    one, _ = timed([*slsreview, "check", ".", "--no-cache", "--fail-on", "never"], sample, runs)
    target = "< 0.3 s"
    if cfn_lint:
        lint, _ = timed([cfn_lint, "template.yaml"], sample, runs)
        rows.append(("check one sample project", f"{one:.2f} s; cfn-lint {lint:.2f} s ({lint / one:.1f}x)", f"{target}, >= 3x faster"))
    else:
        rows.append(("check one sample project", f"{one:.2f} s (cfn-lint not on PATH)", target))

    templates = work / "templates"
    generate(templates, services=200, functions=3, workers=0)
    for handler in templates.rglob("src"):
        shutil.rmtree(handler)  # templates alone
    paths = sorted(str(p.relative_to(templates)) for p in templates.rglob("template.yaml"))
    ours, _ = timed([*slsreview, "check", ".", "--no-cache", "--fail-on", "never"], templates, runs)
    if cfn_lint:
        lint, _ = timed([cfn_lint, *paths], templates, 1 if args.quick else 3)
        rows.append((f"{len(paths)} templates alone", f"{ours:.2f} s; cfn-lint {lint:.2f} s ({lint / ours:.1f}x)", ">= 10x faster"))
    else:
        rows.append((f"{len(paths)} templates alone", f"{ours:.2f} s (cfn-lint not on PATH)", ">= 10x faster"))

    growth = {}
    sizes = (100, 200) if args.quick else (100, 200, 400)
    for functions in sizes:
        mono = work / f"mono{functions}"
        generate(mono, services=functions // 10, functions=10, workers=functions // 20)
        cache = mono / ".slsreview_cache"

        def clear(cache: Path = cache) -> None:
            shutil.rmtree(cache, ignore_errors=True)

        cold, peak = timed([*slsreview, "check", ".", "--fail-on", "never", "-j", str(cores)], mono, runs, before=clear)
        growth[functions] = cold
        if functions == 200:
            warm, warm_peak = timed([*slsreview, "check", ".", "--fail-on", "never", "-j", str(cores)], mono, runs)
            serial, _ = timed([*slsreview, "check", ".", "--fail-on", "never", "-j", "1"], mono, runs, before=clear)
            floor = bare_parse_floor(mono, runs)
            rows.append(("200-function monorepo, cold", f"{cold:.2f} s with {cores} jobs ({serial:.2f} s with 1)", ""))
            rows.append(("  bare parse floor, same files", f"{floor:.2f} s; cold is {cold / floor:.2f}x", "<= 2x"))
            rows.append(("  warm, nothing changed", f"{warm:.2f} s ({warm / cold:.0%} of cold)", "<= 10%"))
            rows.append(("  peak memory", f"{max(peak, warm_peak):.0f} MiB", "< 300 MiB"))
    base = growth[100]
    rows.append(
        ("linear growth (cold)", ", ".join(f"{n}: {t:.2f} s ({t / base:.2f}x)" for n, t in growth.items()), "2x functions <= 2x time")
    )
    shutil.rmtree(work, ignore_errors=True)

    print(f"slsreview benchmark: {cores} cores, Python {sys.version.split()[0]}, median of {runs} runs\n")
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'result':<{vwidth}}  target")
    print(f"{'-' * width}  {'-' * vwidth}  ------")
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:<{vwidth}}  {goal}")


if __name__ == "__main__":
    _ = resource
    main()
