"""The benchmark: every speed target of slsreview, measured in one run, printed as a table.

    python bench/run.py              # full run (a few minutes on 2 cores)
    python bench/run.py --quick      # fewer repetitions, smaller monorepos

Measures (wall clock, on this machine's cores), each row with its target beside it:

- ``slsreview --version`` start-up;
- ``slsreview check`` on one small sample project, and cfn-lint on the same template when
  cfn-lint is on PATH;
- templates alone: a few hundred generated SAM templates, slsreview against cfn-lint;
- a generated 200-function monorepo (half Python, half Node, plus Workers): cold (empty cache),
  warm (nothing changed: the whole review is replayed), one JS handler changed and one Python
  handler changed (only that file is analysed again), the bare parse floor of the same files
  measured in-process, and peak memory. The floor, cold, warm and the changed runs take turns in
  every round, so that each ratio compares measurements that saw the same load; and the
  start-up floor of any re-review in a new process (Python, importing the engine and the rules'
  modules, and libcst for a Python handler, before the review reads a file);
- JS/TS analysis against the bare tree-sitter parse (``bench/bench_js_analysis.py``'s
  generated handlers, best of several turns);
- linear growth: cold runs at 100, 200 and 400 functions.

The machine may be shared: every timed row is a median (the JS row a best-of), the spread
(min-max) of the monorepo rows is printed, and so is the load average before and after.
Bytecode is written and used as an installed slsreview would (PYTHONDONTWRITEBYTECODE is
cleared for the measured commands), after one untimed run that compiles it.
"""

from __future__ import annotations

import argparse
import os
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
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# What a re-review in a new process pays before it reads anything: the interpreter, the engine,
# every rule module (as the CLI imports them, through the dataclass code cache); libcst besides
# when the changed file is Python.
STARTUP = (
    "from slsreview import codecache; codecache.install(); "
    "import slsreview.cli, slsreview.engine, slsreview.analysis.javascript; "
    "from slsreview.registry import load_rules; load_rules()"
)
PROBE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL); "
    "sys.stdout.buffer.write(b'%f %d\\n' % (time.perf_counter() - t, "
    "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + r.stdout)"
)


def once(command: list[str], cwd: Path) -> tuple[float, float, bytes]:
    """(seconds, peak MiB, stdout) of one run of a command, in a fresh wrapper process."""
    out = subprocess.run([PYTHON, "-c", PROBE, *command], cwd=cwd, capture_output=True, check=True, env=ENV).stdout
    head, _, report = out.partition(b"\n")
    seconds, kib = head.split()
    return float(seconds), int(kib) / 1024, report


def timed(command: list[str], cwd: Path, runs: int, before: Callable[[], None] | None = None) -> tuple[float, float]:
    """(median seconds, peak MiB of the largest run) of a command."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        seconds, peak, _ = once(command, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def bare_parse_floor(root: Path) -> Callable[[], float]:
    """A function timing one parse of every reviewed file with the bare parsers, nothing else
    (taken in every monorepo round, beside the runs it is compared with)."""
    import tomllib

    import libcst
    import yaml

    from slsreview.analysis import treesitter

    files = [p for p in root.rglob("*") if p.is_file() and ".slsreview_cache" not in p.parts]
    texts = [(p, p.read_text(encoding="utf-8")) for p in files]

    def parse_all() -> float:
        start = time.perf_counter()
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
        return time.perf_counter() - start

    parse_all()  # grammars loaded, libcst imported
    return parse_all


def js_analysis(repeat: int) -> tuple[float, float, int]:
    """(bare parse s, full analysis s, files) over bench_js_analysis's generated handlers."""
    from bench.bench_js_analysis import best_of_interleaved, generated
    from slsreview.analysis import treesitter
    from slsreview.analysis.javascript import analyze_javascript

    jobs = [(path, text, treesitter.dialect_for_path(path) or "javascript") for path, text in generated(300)]
    for _, text, dialect in jobs[:3]:
        analyze_javascript("warmup", text, dialect)

    def parse_all() -> None:
        for _, text, dialect in jobs:
            treesitter.parse(text, dialect)

    def analyse_all() -> None:
        for path, text, dialect in jobs:
            analyze_javascript(path, text, dialect)

    parse, full = best_of_interleaved(repeat, [parse_all, analyse_all])
    return parse, full, len(jobs)


def append_line(path: Path, round_number: int) -> None:
    """An edit that changes a handler's content but none of its findings."""
    comment = "//" if path.suffix in (".js", ".mjs", ".ts") else "#"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{comment} bench edit {round_number} {time.time_ns()}\n")


def spread(samples: list[float]) -> str:
    return f"{min(samples):.3f}-{max(samples):.3f}"


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    rounds = 5 if args.quick else 9  # monorepo rounds: cold, warm, JS changed, Python changed
    cores = os.cpu_count() or 1
    slsreview = [PYTHON, "-m", "slsreview"]
    cfn_lint = shutil.which("cfn-lint")
    cfn_lint = cfn_lint and os.path.abspath(cfn_lint)  # a relative PATH entry must work from every folder
    rows: list[tuple[str, str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="slsreview-bench-"))
    load_before = loadavg()
    started = time.perf_counter()

    subprocess.run([*slsreview, "--version"], env=ENV, capture_output=True, check=True)
    version, _ = timed([*slsreview, "--version"], work, runs * 2)
    bare, _ = timed([PYTHON, "-c", "pass"], work, runs * 2)
    rows.append(("slsreview --version", f"{version * 1000:.0f} ms (python itself: {bare * 1000:.0f} ms)", "small"))

    sample = ROOT / "sample_projects" / "careful-orders"
    once([*slsreview, "check", ".", "--no-cache", "--fail-on", "never"], sample)  # compiles bytecode
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

    growth: dict[int, float] = {}
    sizes = (100, 200) if args.quick else (100, 200, 400)
    check = [*slsreview, "check", ".", "--fail-on", "never", "-j", str(cores)]
    for functions in sizes:
        mono = work / f"mono{functions}"
        generate(mono, services=functions // 10, functions=10, workers=functions // 20)
        cache = mono / ".slsreview_cache"
        if functions != 200:
            growth[functions] = timed(check, mono, runs, before=lambda c=cache: shutil.rmtree(c, ignore_errors=True))[0]
            continue
        js_handler = next(mono.rglob("*.mjs"))
        py_handler = next(mono.rglob("*.py"))
        parse_floor = bare_parse_floor(mono)
        floor_s, cold_s, warm_s, js_s, py_s, peaks = [], [], [], [], [], []
        stale = 0
        for number in range(rounds):
            floor_s.append(parse_floor())
            shutil.rmtree(cache, ignore_errors=True)
            seconds, peak, cold_report = once(check, mono)
            cold_s.append(seconds)
            peaks.append(peak)
            seconds, peak, warm_report = once(check, mono)
            warm_s.append(seconds)
            stale += warm_report != cold_report  # a replay must be the review, byte for byte
            append_line(js_handler, number)
            js_s.append(once(check, mono)[0])
            append_line(py_handler, number)
            py_s.append(once(check, mono)[0])
        shutil.rmtree(cache, ignore_errors=True)
        serial, _ = timed([*check[:-1], "1"], mono, runs, before=lambda c=cache: shutil.rmtree(c, ignore_errors=True))
        floor, cold, warm, js_changed, py_changed = (statistics.median(s) for s in (floor_s, cold_s, warm_s, js_s, py_s))
        growth[functions] = cold
        rows.append(("200-function monorepo, cold", f"{cold:.2f} s with {cores} jobs ({serial:.2f} s with 1); spread {spread(cold_s)} s", ""))
        rows.append(
            ("  bare parse floor, same files", f"{floor:.2f} s; cold is {cold / floor:.2f}x; spread {spread(floor_s)} s", "cold <= 2x floor")
        )
        rows.append(
            ("  warm, nothing changed", f"{warm * 1000:.0f} ms ({warm / cold:.1%} of cold); spread {spread(warm_s)} s", "<= 5% of cold")
        )
        rows.append(
            ("  one JS handler changed", f"{js_changed * 1000:.0f} ms ({js_changed / cold:.1%} of cold); spread {spread(js_s)} s", "<= 15% of cold")
        )
        rows.append(
            ("  one Python handler changed", f"{py_changed * 1000:.0f} ms ({py_changed / cold:.1%} of cold); spread {spread(py_s)} s", "<= 15% of cold")
        )
        startup, _ = timed([PYTHON, "-c", STARTUP], mono, runs)
        startup_py, _ = timed([PYTHON, "-c", STARTUP + "; import libcst"], mono, runs)
        rows.append(
            (
                "  start-up floor of a re-review",
                f"{startup * 1000:.0f} ms JS, {startup_py * 1000:.0f} ms Python "
                f"({startup / cold:.1%}, {startup_py / cold:.1%} of cold) before reading a file",
                "",
            )
        )
        rows.append(("  warm report identical to cold", "yes" if not stale else f"NO: {stale} of {rounds} rounds differ", "yes"))
        rows.append(("  peak memory", f"{max(peaks):.0f} MiB", "< 300 MiB"))

    parse, full, count = js_analysis(3 if args.quick else 5)
    rows.append((f"JS/TS analysis, {count} handlers", f"{full:.3f} s vs bare parse {parse:.3f} s: {full / parse:.2f}x", "<= 2x parse"))

    base = growth[100]
    rows.append(
        ("linear growth (cold)", ", ".join(f"{n}: {t:.2f} s ({t / base:.2f}x)" for n, t in growth.items()), "2x functions <= 2x time")
    )
    shutil.rmtree(work, ignore_errors=True)

    print(
        f"slsreview benchmark: {cores} cores, Python {sys.version.split()[0]}, median of {runs} runs "
        f"({rounds} rounds for the monorepo), {time.perf_counter() - started:.0f} s"
    )
    print(f"load average before: {load_before}; after: {loadavg()}\n")
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'result':<{vwidth}}  target")
    print(f"{'-' * width}  {'-' * vwidth}  ------")
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:<{vwidth}}  {goal}")


if __name__ == "__main__":
    main()
