"""Property tests: random and mutated content files give located diagnostics, never an exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from jiangtang.diagnostics import CODES, Report
from jiangtang.hub import load_hub
from jiangtang.source import parse_yaml

GOOD = FIXTURES / "good"
TARGETS = ["speakers/单丽.yaml", "sessions/2022.yaml", "lectures/2022/shijian-lun.md", "mkdocs.yml"]
#: Characters contributors and input methods actually produce, plus YAML's special ones.
TRICKY = list(":：　\t[]，,“”‘’【】「」-&*!|>#{}'\"\n\r\x00\ufeff%@`?~=<") + ["---\n", "  ", "- ", "2022-13-45", "单丽", "是", "<script>"]


@pytest.fixture(scope="module")
def hub_copy():
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "hub"
        shutil.copytree(GOOD, dest)
        yield dest


def assert_located(report: Report, hub: Path) -> None:
    for d in report.sorted():
        assert d.code in CODES
        assert d.line >= 0 and d.col >= 0
        path = hub / d.path if not Path(d.path).is_absolute() else Path(d.path)
        assert path.exists(), d
        if d.line and path.is_file():
            # a lone CR ends a line too (YAML 1.1 §5.4; Notepad files), as in jiangtang.source.read_text
            n = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
            assert d.line <= n, d
        assert d.format().startswith(f"{d.path}:{max(d.line, 1)}:{max(d.col, 1)}: {d.code} ")


@st.composite
def mutated(draw):
    target = draw(st.sampled_from(TARGETS))
    text = (GOOD / target).read_text("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)))
        if op == "insert":
            text = text[:pos] + piece + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 8)):]
        else:
            text = text[:pos] + piece + text[pos + len(piece):]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    return target, data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_give_located_errors(hub_copy, case):
    target, data = case
    path = hub_copy / target
    original = (GOOD / target).read_bytes()
    path.write_bytes(data)
    try:
        hub, report = load_hub(hub_copy / "mkdocs.yml")
        assert_located(report, hub_copy)
    finally:
        path.write_bytes(original)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.sampled_from(TARGETS[:3]), st.binary(max_size=400))
def test_random_bytes_give_located_errors(hub_copy, target, data):
    path = hub_copy / target
    original = (GOOD / target).read_bytes()
    path.write_bytes(data)
    try:
        hub, report = load_hub(hub_copy / "mkdocs.yml")
        assert_located(report, hub_copy)
        assert report.items, data  # random bytes never make this hub clean (at least the references break)
    finally:
        path.write_bytes(original)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TRICKY + list("abc 1\n")), max_size=60).map("".join))
def test_parse_yaml_never_raises(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as read_text() hands it over
    report = Report()
    parse_yaml(text, "x.yaml", report)
    n = text.count("\n") + 1
    for d in report.items:
        assert d.code in CODES and 0 <= d.line <= n
