"""Loader throughput and start-up time.

    python bench/bench_loaders.py                 # synthetic templates
    python bench/bench_loaders.py ~/src/serverless-patterns   # every SAM template under a folder

Reports the median of several runs for: libyaml's own event parse (the floor), our
position-aware YAML loader, PyYAML's CSafeLoader ``yaml.load`` for comparison, and the start-up
of ``slsreview --version``.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate
from slsreview.loaders.yaml_loader import load_yaml

RUNS = 5


def median_time(fn, *args) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def templates_under(root: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".yaml", ".yml") and "node_modules" not in path.parts and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if "AWS::Serverless-2016-10-31" in text or "AWSTemplateFormatVersion" in text:
                out.append((str(path), text))
    return out


def main() -> None:
    if len(sys.argv) > 1:
        corpus = templates_under(Path(sys.argv[1]))
        label = sys.argv[1]
    else:
        tmp = Path(tempfile.mkdtemp())
        generate(tmp, services=300, functions=3, workers=0)
        corpus = templates_under(tmp)
        label = "synthetic"
    size = sum(len(t) for _, t in corpus)

    def events() -> None:
        for _, text in corpus:
            loader = yaml.CSafeLoader(text)
            try:
                while loader.check_event():
                    loader.get_event()
            except yaml.YAMLError:
                pass
            finally:
                loader.dispose()

    def ours() -> None:
        for path, text in corpus:
            load_yaml(path, text)

    def pyyaml() -> None:
        for _, text in corpus:
            with contextlib.suppress(yaml.YAMLError):
                yaml.load(text, Loader=yaml.CSafeLoader)

    print(f"corpus: {len(corpus)} templates, {size / 1e6:.2f} MB ({label}); {os.cpu_count()} cores; median of {RUNS}")
    floor = median_time(events)
    for name, fn in (("libyaml events (floor)", events), ("slsreview load_yaml", ours), ("PyYAML CSafeLoader.load", pyyaml)):
        seconds = floor if fn is events else median_time(fn)
        print(f"  {name:<26} {seconds * 1000:8.1f} ms  {size / seconds / 1e6:6.2f} MB/s  {seconds / floor:4.1f}x floor")

    def version() -> None:
        subprocess.run([sys.executable, "-m", "slsreview", "--version"], check=True, capture_output=True)

    def bare() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True)

    print(f"  {'python -c pass':<26} {median_time(bare) * 1000:8.1f} ms")
    print(f"  {'slsreview --version':<26} {median_time(version) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
