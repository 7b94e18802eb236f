"""No output of slsreview prints a secret in full: every format, and the --debug tracebacks.

Distinct secrets are planted in every place the secrets rules read (handler source, template
environment, a parameter default, a resource property, wrangler [vars], .dev.vars, .env, a log
line, a file that does not parse) and then looked for, whole, in everything each format prints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slsreview.config import Settings
from slsreview.engine import review
from slsreview.rule import Example, Expect, Report, Rule
from tests.conftest import ALL_RULES, run_review, write_tree
from tests.test_secret_scan import fake

ROOT = Path(__file__).parent.parent
FORMATS = ("text", "json", "sarif", "markdown", "review", "github", "gitlab")

SECRETS = {
    "source": "sk_live_" + fake(32, "source"),
    "source_named": fake(32, "named"),
    "template_env": "ghp_" + fake(36, "tenv"),
    "template_env_named": "Tq8-" + fake(20, "tnamed"),
    "parameter_default": "Pw!" + fake(13, "param"),
    "resource_property": "Rp#" + fake(13, "prop"),
    "wrangler_vars": "whsec_" + fake(32, "vars"),
    "wrangler_vars_named": "wv-" + fake(18, "wnamed"),
    "dev_vars": "dv-" + fake(18, "devvars"),
    "dotenv": "sk_live_" + fake(30, "dotenv"),
    "log_line": "xk-" + fake(22, "logline"),
    "unparseable": "ghp_" + fake(36, "broken"),
    "short": "hunter2x",
}


def planted(root: Path) -> None:
    s = SECRETS
    write_tree(
        root,
        {
            "template.yaml": (
                "AWSTemplateFormatVersion: '2010-09-09'\n"
                "Transform: AWS::Serverless-2016-10-31\n"
                "Parameters:\n"
                "  DbPassword:\n"
                "    Type: String\n"
                "    NoEcho: true\n"
                f"    Default: '{s['parameter_default']}'\n"
                "Resources:\n"
                "  OrdersFunction:\n"
                "    Type: AWS::Serverless::Function\n"
                "    Properties:\n"
                "      Runtime: python3.13\n"
                "      Handler: app.handler\n"
                "      CodeUri: src/\n"
                "      Environment:\n"
                "        Variables:\n"
                f"          GITHUB_TOKEN: {s['template_env']}\n"
                f"          SIGNING_SECRET: {s['template_env_named']}\n"
                f"          DB_PASSWORD: {s['short']}\n"
                "  OrdersDb:\n"
                "    Type: AWS::RDS::DBInstance\n"
                "    Properties:\n"
                "      Engine: postgres\n"
                f"      MasterUserPassword: '{s['resource_property']}'\n"
            ),
            "src/app.py": (
                "import logging\nimport os\n\nlogger = logging.getLogger()\n"
                f'STRIPE_KEY = "{s["source"]}"\n'
                f'API_KEY = "{s["source_named"]}"\n\n\n'
                "def handler(event, context):\n"
                f'    logger.info("token {s["log_line"]} for %s", os.environ["SIGNING_SECRET"])\n'
                '    print(event["headers"]["authorization"])\n'
                "    return {}\n"
            ),
            "worker/wrangler.toml": (
                'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n[vars]\n'
                f'WEBHOOK_SECRET = "{s["wrangler_vars"]}"\n'
                f'SESSION_SECRET = "{s["wrangler_vars_named"]}"\n'
            ),
            "worker/src/index.ts": "export default { fetch: (r: Request, env: Env) => { console.log(env.SESSION_SECRET); return new Response(env.API_TOKEN); } };\n",
            "worker/.dev.vars": f"API_TOKEN={s['dev_vars']}\n",
            ".env": f"STRIPE_SECRET_KEY={s['dotenv']}\n",
            "broken/template.yaml": f"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n    Token: {s['unparseable']}\n",
        },
    )


def _leaks(output: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in output]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("planted")
    planted(root)
    return root


def test_the_planted_secrets_are_found(project: Path) -> None:
    """The test below proves nothing unless the secrets are really reported."""
    result = run_review(project)
    rules = {f.rule for f in result.findings}
    assert {"SLS301", "SLS302", "SLS304", "SLS306"} <= rules
    assert any(f.rule == "SLS001" for f in result.findings), "the broken template is a parse finding"


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_prints_a_secret(project: Path, fmt: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "slsreview", "--debug", "check", ".", "-f", fmt, "--no-cache", "--fail-on", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
    assert _leaks(done.stdout + done.stderr) == []
    if fmt == "json":
        findings = json.loads(done.stdout)["findings"]
        assert len([f for f in findings if f["category"] == "secrets"]) >= 8
        assert any("…(" in f["message"] for f in findings), "secrets are shown masked"


class _LeakyCrash(Rule):
    """
    ## What it does
    Crashes with a secret in its exception, to prove the engine masks it.
    ## Why is this bad?
    -
    ## Why this tier
    -
    ## Example
    -
    ## Use instead
    -
    ## References
    -
    """

    id = "SLS999"
    name = "leaky-crash"
    category = "secrets"
    tier = "blocking"
    title = "crashes"
    fix = "-"
    docs = ("https://example.com",)
    bad = [Example({}, expect=[Expect("x", 1, 1, "-")])]
    good = [Example({})]

    def check(self, ctx):  # type: ignore[no-untyped-def]
        raise ValueError(f"cannot parse {SECRETS['dev_vars']} or {SECRETS['source']}")

    def check_function(self, fn, ctx):  # type: ignore[no-untyped-def]
        yield Report(fn, f"{fn.name} uses {SECRETS['template_env_named']} and {SECRETS['source_named']}")


def test_a_crash_and_a_careless_rule_are_masked_with_debug(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLSREVIEW_DEBUG", "1")
    settings = Settings(cache=False, jobs=1)
    result = review([project], settings, [*ALL_RULES, _LeakyCrash], cwd=project)
    err = capsys.readouterr().err
    assert "Traceback" in err and "ValueError" in err
    mine = [f for f in result.findings if f.rule == "SLS999"]
    assert len(mine) == 2
    shown = err + "".join(f.message + f.fix for f in result.findings)
    assert _leaks(shown) == []


def test_fingerprints_come_from_the_masked_line(tmp_path: Path) -> None:
    """Two keys of one prefix and length give one fingerprint: the hash is of the masked line,
    so it cannot be used to test guesses of the secret."""
    prints = []
    for seed in ("one", "two"):
        root = tmp_path / seed
        key = "sk_live_" + fake(32, seed)
        write_tree(root, {"wrangler.toml": f'name = "w"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n[vars]\nSTRIPE = "{key}"\n', "src/index.ts": "export default {};\n"})
        (finding,) = [f for f in run_review(root, select=["SLS301"]).findings]
        assert key not in finding.snippet
        prints.append(finding.fingerprint)
    assert prints[0] == prints[1]
