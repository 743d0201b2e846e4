"""Derived files (JSON Schema, 投稿参考, contribute.md's generated part) are current and agree with the validator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, ROOT, run_build
from jiangtang import lecture, session, speaker
from jiangtang.config import Vocabulary, load_config
from jiangtang.diagnostics import CODES, Report
from jiangtang.fields import validate_mapping
from jiangtang.schema import KINDS, complete_example, derived_files, json_schema, main as schema_main
from jiangtang.source import parse_yaml, split_front_matter


def demo_vocab() -> Vocabulary:
    return load_config(ROOT / "mkdocs.yml", Report()).vocab


def test_committed_derived_files_are_current():
    assert schema_main(["-f", str(ROOT / "mkdocs.yml"), "--check"]) == 0, "run: make derived"


def test_stale_file_is_detected(tmp_path):
    hub = tmp_path / "hub"
    shutil.copytree(FIXTURES / "good", hub)
    assert schema_main(["-f", str(hub / "mkdocs.yml"), "--check"]) == 1  # nothing generated yet
    assert schema_main(["-f", str(hub / "mkdocs.yml")]) == 0
    assert schema_main(["-f", str(hub / "mkdocs.yml"), "--check"]) == 0
    ref = hub / "docs" / "reference.md"
    ref.write_text(ref.read_text("utf-8").replace("JT033", "JT999"), "utf-8")
    assert schema_main(["-f", str(hub / "mkdocs.yml"), "--check"]) == 1


@pytest.mark.parametrize("kind", list(KINDS))
def test_schema_is_valid_draft_2020_12_and_lists_every_field(kind):
    doc = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(doc)
    record = doc["items"] if kind == "session" else doc
    assert list(record["properties"]) == [f.name for f in KINDS[kind][0].FIELDS]
    assert record["required"] == [f.name for f in KINDS[kind][0].FIELDS if f.required]


def _validator(kind: str):
    return jsonschema.Draft202012Validator(json_schema(kind, demo_vocab()), format_checker=jsonschema.FormatChecker())


def _yaml_for_schema(text: str):
    """YAML → JSON-like data as an editor sees it (dates as text)."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return yaml.load(text, Loader=Loader)


@pytest.mark.parametrize("kind", list(KINDS))
def test_complete_examples_pass_the_validator_and_the_schema(kind):
    text = complete_example(kind)
    report = Report()
    vocab = demo_vocab()
    if kind == "lecture":
        doc = split_front_matter(text, "x.md", report, lecture.LIST_KEYS)
        assert validate_mapping(doc.meta, lecture.FIELDS, "x.md", report, vocab, "讲稿") is not None
        data = _yaml_for_schema(text.split("---")[1])
    else:
        mod = speaker if kind == "speaker" else session
        node = parse_yaml(text, "x.yaml", report, list_keys=mod.LIST_KEYS)
        items = node.value if kind == "session" else [node]
        for item in items:
            assert validate_mapping(item, mod.FIELDS, "x.yaml", report, vocab, "x") is not None
        data = _yaml_for_schema(text)
    assert not report.items, report.render()
    assert not list(_validator(kind).iter_errors(data))


def test_good_fixture_files_pass_the_schemas():
    good = FIXTURES / "good"
    for path in (good / "speakers").glob("*.yaml"):
        assert not list(_validator("speaker").iter_errors(_yaml_for_schema(path.read_text("utf-8")))), path
    for path in (good / "sessions").glob("*.yaml"):
        assert not list(_validator("session").iter_errors(_yaml_for_schema(path.read_text("utf-8")))), path


@pytest.mark.parametrize("kind,data", [
    ("speaker", {"name": "周明", "team": "群众"}),
    ("speaker", {"name": "周明", "team": "理论专家", "sumary": "x"}),
    ("speaker", {"team": "理论专家"}),
    ("session", [{"date": "2022/05/01", "speakers": ["a"], "title": "t", "classroom": "田间课堂"}]),
    ("session", [{"date": "2022-05-01", "speakers": ["a"], "title": "t", "lecture": "l", "classroom": "田间课堂"}]),
    ("session", [{"date": "2022-05-01", "speakers": ["a"], "title": "t", "classroom": "田间课堂", "audience": -1}]),
    ("lecture", {"title": "t", "date": "2022-05-01", "speakers": ["a"], "orderable": "是"}),
    ("lecture", {"title": "t", "date": "2022-05-01", "speakers": [], "slug": "Bad Slug"}),
])
def test_schema_rejects_what_check_rejects(kind, data):
    assert list(_validator(kind).iter_errors(data))


def test_reference_page_lists_every_code_and_field():
    page = (ROOT / "docs" / "reference.md").read_text("utf-8")
    for code in CODES:
        assert f"| {code} |" in page
    for mod, _, _ in KINDS.values():
        for f in mod.FIELDS:
            assert f"| `{f.name}` |" in page
    assert "reference.md" in (ROOT / "docs" / "contribute.md").read_text("utf-8")


def test_vscode_maps_the_schemas():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping["./schemas/speaker.schema.json"] == ["speakers/*.yaml", "speakers/*.yml"]
    assert "sessions/**/*.yaml" in mapping["./schemas/session.schema.json"]
    for path in mapping:
        assert (ROOT / path).is_file()


def test_pre_commit_hooks():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert by_id["jiangtang-check"]["entry"] == "jiangtang check"
    assert by_id["jiangtang-check"]["language"] == "python"
    assert by_id["jiangtang-check-local"]["entry"].startswith("python build.py check")
    for h in hooks:
        assert h["pass_filenames"] is False and set(h) >= {"id", "name", "entry", "language"}
    # the console script named by the python hook is declared and works
    assert 'jiangtang = "jiangtang.cli:main"' in (ROOT / "pyproject.toml").read_text("utf-8")
    proc = run_build("check", "-f", str(FIXTURES / "good" / "mkdocs.yml"))
    assert proc.returncode == 0, proc.stderr


def test_reference_page_is_built_into_the_site(tmp_path):
    hub = tmp_path / "hub"
    shutil.copytree(FIXTURES / "good", hub)
    for path, text in derived_files(hub, load_config(hub / "mkdocs.yml", Report()).vocab).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    out = tmp_path / "site"
    proc = run_build("build", "-f", "mkdocs.yml", "-d", str(out), cwd=hub)
    assert proc.returncode == 0, proc.stderr
    html = (out / "reference" / "index.html").read_text("utf-8")
    assert "投稿参考" in html and "JT033" in html and "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" not in html
