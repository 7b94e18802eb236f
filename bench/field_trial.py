"""Try the rules on real projects nobody here wrote, and count what they say.

    python bench/field_trial.py ROOT [ROOT ...]                 # every rule
    python bench/field_trial.py ROOT --select SLS1 --sample 10  # one family, ten findings each

Each ROOT (a checkout of aws-samples/serverless-patterns, cloudflare/templates, ...) is reviewed
once, in a subprocess, exactly as a user would run ``slsreview check ROOT -f json``. The script
prints, per root, the number of findings of every rule, every internal error (a traceback on
stderr, an exit status of 2, or a rule's "could not check" finding), and a deterministic sample of
findings per rule with the lines around each, for a person to judge true or false. Nothing of the
reviewed projects is written anywhere.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import subprocess
import sys
import time
from pathlib import Path


def review(root: Path, select: str | None, jobs: int) -> tuple[dict, str, int, float]:
    command = [sys.executable, "-m", "slsreview", "--debug", "check", str(root), "-f", "json",
               "--no-cache", "--fail-on", "never", "-j", str(jobs)]
    if select:
        command += ["--select", select]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        report = {"findings": [], "summary": {}}
    return report, done.stderr, done.returncode, seconds


def context(root: Path, path: str, line: int, around: int = 2) -> str:
    file = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    lo, hi = max(1, line - around), min(len(lines), line + around)
    return "\n".join(f"      {n:5} {'>' if n == line else ' '} {lines[n - 1][:140]}" for n in range(lo, hi + 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--select", help="rule ids, prefixes or categories, as for slsreview check")
    parser.add_argument("--sample", type=int, default=0, help="findings to show per rule")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rule", action="append", default=[], help="show samples only for these rules")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()

    failures = 0
    totals: collections.Counter[str] = collections.Counter()
    for root in args.roots:
        report, stderr, status, seconds = review(root, args.select, args.jobs)
        findings = report.get("findings", [])
        crashes = [f for f in findings if "could not check" in f["message"]]
        summary = report.get("summary", {})
        print(f"== {root}: {len(findings)} findings, {summary.get('files', '?')} files, "
              f"{summary.get('functions', '?')} functions, {seconds:.1f} s, exit {status}")
        if "Traceback" in stderr or status == 2 or crashes:
            failures += 1
            print("   INTERNAL ERRORS:")
            for line in stderr.strip().splitlines()[-30:]:
                print(f"     {line}")
            for crash in crashes:
                print(f"     {crash['path']}:{crash['line']}: {crash['message']}")
        counts = collections.Counter(f["rule"] for f in findings)
        totals.update(counts)
        for rule, count in sorted(counts.items()):
            print(f"   {rule:8} {count:6}")
        if args.sample:
            by_rule: dict[str, list[dict]] = collections.defaultdict(list)
            for finding in findings:
                by_rule[finding["rule"]].append(finding)
            for rule, items in sorted(by_rule.items()):
                if args.rule and not any(rule.startswith(r) for r in args.rule):
                    continue
                chosen = random.Random(f"{args.seed}{rule}").sample(items, min(args.sample, len(items)))
                print(f"   -- {rule}: {len(chosen)} of {len(items)}")
                for finding in sorted(chosen, key=lambda f: (f["path"], f["line"])):
                    print(f"    {finding['path']}:{finding['line']}:{finding['column']} [{finding['tier']}] {finding['message']}")
                    print(context(root, finding["path"], finding["line"]))
    if len(args.roots) > 1:
        print("== all roots")
        for rule, count in sorted(totals.items()):
            print(f"   {rule:8} {count:6}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
