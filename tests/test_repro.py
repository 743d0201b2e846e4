"""Reproducible builds (issue 7, item 4): two builds of the same commit with the same
``SOURCE_DATE_EPOCH`` give byte-identical output, file by file (https://reproducible-builds.org/)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from conftest import ROOT, run_build
from deploy_support import copy_hub


def _hashes(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_two_builds_are_byte_identical(tmp_path):
    # The second build runs from a copy in another folder (another absolute path, another
    # temporary output name), with site_url set so the sitemap and its .gz are written too.
    builds = []
    for n in (1, 2):
        config = copy_hub(ROOT, tmp_path / f"hub{n}")
        text = re.sub(r"(?m)^site_url:.*\n", "", config.read_text("utf-8"))
        config.write_text(text + "\nsite_url: https://example.gov.cn/theory/\n", "utf-8")
        out = tmp_path / f"site{n}"
        proc = run_build("build", "-f", str(config), "-d", str(out))
        assert proc.returncode == 0, proc.stderr
        builds.append(_hashes(out))
    # and a third from the first copy again: its page cache (.cache/jiangtang/) is warm now
    proc = run_build("build", "-f", str(tmp_path / "hub1" / "mkdocs.yml"), "-d", str(tmp_path / "site3"))
    assert proc.returncode == 0, proc.stderr
    builds.append(_hashes(tmp_path / "site3"))
    assert "sitemap.xml.gz" in builds[0] and "robots.txt" in builds[0]
    assert len(builds[0]) > 100
    assert _diff(builds[0], builds[1]) == []
    assert _diff(builds[0], builds[2]) == []


def test_offline_builds_are_byte_identical(tmp_path):
    hashes = []
    config = copy_hub(ROOT, tmp_path / "hub")  # a snapshot; the second build reuses its page cache
    for n in (1, 2):
        out = tmp_path / f"off{n}"
        proc = run_build("build", "--offline", "-f", str(config), "-d", str(out))
        assert proc.returncode == 0, proc.stderr
        hashes.append(_hashes(out))
    assert _diff(*hashes) == []
