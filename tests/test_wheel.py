"""The built wheel, installed into a fresh virtualenv, carries the engine and every rule."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from slsreview.registry import load_rules

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("slsreview-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "slsreview_rules/runtime/deprecated_runtime.py" in names
    for data in ("aws_operations", "iam_actions", "sam_policy_templates", "lambda_runtimes"):
        assert f"slsreview/vocabulary/data/{data}.json" in names
    assert not any(n.startswith("scripts/") for n in names), "the generator is a repository tool"
    assert not any(n.startswith("rules/") for n in names), "must not install a top-level 'rules' package"
    assert not any(n.startswith(("tests/", "sample_projects/")) for n in names)


def test_every_package_folder_is_in_the_wheel(wheel: Path) -> None:
    """setup.py finds the packages: a new rules/<category>/ folder needs no list edited."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for top, installed in (("slsreview", "slsreview"), ("rules", "slsreview_rules")):
        for init in (ROOT / top).rglob("__init__.py"):
            relative = init.relative_to(ROOT / top).as_posix()
            assert f"{installed}/{relative}" in names, f"{top}/{relative} is not in the wheel"


def test_installed_wheel_lists_and_explains_every_rule(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # Reuse this interpreter's installed dependencies: the test checks our packaging, not PyPI.
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    listing = subprocess.run([str(env_dir / "bin" / "slsreview"), "rules"], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    ids = [line.split()[0] for line in listing.stdout.splitlines()]
    assert ids == [r.id for r in load_rules()]
    explained = subprocess.run([str(env_dir / "bin" / "slsreview"), "explain", "SLS201"], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert "deprecated-runtime" in explained.stdout
    where = subprocess.run([str(python), "-c", "import slsreview_rules; print(slsreview_rules.__file__)"], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert str(env_dir) in where.stdout, "the installed wheel, not the source tree, must provide the rules"
