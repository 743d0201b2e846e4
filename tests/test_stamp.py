"""No-change rebuilds (issue 6, item 4): a build whose inputs and output are unchanged is skipped, and every
change of an input, of the options, of the date or of the output makes the next build a real one.

Builds with ``python build.py build`` as a user would. No timing assertions (``make bench`` measures).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE_DATE_EPOCH, run_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

from jiangtang import stamp  # noqa: E402

SKIPPED = "站点已是最新"
BUILT = "站点已生成"


def _tree(site: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(site.rglob("*")) if p.is_file()}


def _build(cfg: Path, out: Path, *extra: str, **env) -> str:
    proc = run_build("build", "-q", "-f", str(cfg), "-d", str(out), *extra, env={"CI": "true", **env})
    assert proc.returncode == 0, proc.stderr
    assert (SKIPPED in proc.stderr) != (BUILT in proc.stderr), proc.stderr
    return proc.stderr


@pytest.fixture()
def hub(tmp_path) -> Path:
    return generate(8, tmp_path / "hub")


def test_unchanged_build_is_skipped_and_leaves_the_site_alone(hub, tmp_path):
    out = tmp_path / "site"
    assert BUILT in _build(hub, out)
    before = _tree(out)
    second = _build(hub, out)
    assert SKIPPED in second and "个生成页面" in second and "0 个错误" in second
    assert _tree(out) == before  # not one byte, not one modification time changed


@pytest.mark.parametrize("change", ["lecture", "new_file", "docs", "config", "site_deleted", "site_edited",
                                    "date", "strict", "offline", "cache_off", "other_dir"])
def test_any_change_makes_a_real_build(hub, tmp_path, change):
    out = tmp_path / "site"
    _build(hub, out)
    root = hub.parent
    extra, env, target = [], {}, out
    if change == "lecture":
        lec = sorted((root / "lectures").rglob("*.md"))[0]
        lec.write_text(lec.read_text("utf-8") + "\n补充一句。\n", "utf-8")
    elif change == "new_file":
        (root / "lectures" / "附件说明.txt").write_text("新文件", "utf-8")
    elif change == "docs":
        (root / "docs").mkdir(exist_ok=True)
        (root / "docs" / "about.md").write_text("# 关于\n\n说明。\n", "utf-8")
    elif change == "config":
        hub.write_text(hub.read_text("utf-8") + "\n# 注释也算输入\n", "utf-8")
    elif change == "site_deleted":
        next(out.rglob("*.html")).unlink()
    elif change == "site_edited":
        page = out / "index.html"
        page.write_text(page.read_text("utf-8") + "<!-- 手工修改 -->", "utf-8")
    elif change == "date":
        env["SOURCE_DATE_EPOCH"] = str(int(SOURCE_DATE_EPOCH) + 86400)
    elif change == "strict":
        extra = ["--strict"]
    elif change == "offline":
        extra = ["--offline"]
    elif change == "cache_off":
        env["JIANGTANG_CACHE"] = "0"
    elif change == "other_dir":
        target = tmp_path / "other"
    proc = run_build("build", "-q", "-f", str(hub), "-d", str(target), *extra, env={"CI": "true", **env})
    assert BUILT in proc.stderr and SKIPPED not in proc.stderr, proc.stderr
    if change == "site_deleted":
        assert SKIPPED in _build(hub, out)  # the rebuilt site is stamped again


def test_warnings_are_printed_again_when_skipped(hub, tmp_path):
    (hub.parent / "sessions" / "笔误.yaml.txt").write_text("- date: 2025-01-01\n", "utf-8")  # JT083, a warning
    out = tmp_path / "site"
    first = _build(hub, out)
    second = _build(hub, out)
    assert SKIPPED in second
    warned = [line for line in first.splitlines() if "JT083" in line]
    assert warned and warned == [line for line in second.splitlines() if "JT083" in line]
    assert "1 个警告" in second


def test_inputs_leave_out_hidden_folders_and_built_sites(hub, tmp_path):
    out = tmp_path / "site"
    base = stamp.inputs_digest(hub, out, {})
    (hub.parent / ".git").mkdir()
    (hub.parent / ".git" / "HEAD").write_text("ref", "utf-8")
    built = hub.parent / "site"
    built.mkdir()
    for name in stamp.SITE_MARKERS:
        (built / name).write_text("<html></html>", "utf-8")
    assert stamp.inputs_digest(hub, out, {}) == base
    (hub.parent / "notes.txt").write_text("其他文件", "utf-8")
    assert stamp.inputs_digest(hub, out, {}) != base
    assert stamp.inputs_digest(hub, out, {"strict": True}) != stamp.inputs_digest(hub, out, {"strict": False})


def _outside_setups(hub: Path, tmp_path: Path):
    """(name, set up before the first build, change before the second) for inputs a build reads from outside
    the hub folder or from the environment (found by trying to break the stamp)."""
    root = hub.parent
    docs = root / "docs"
    docs.mkdir(exist_ok=True)

    def config(extra: str):
        return lambda: hub.write_text(hub.read_text("utf-8") + extra, "utf-8")

    def write(path: Path, text: str):
        return lambda: (path.parent.mkdir(parents=True, exist_ok=True), path.write_text(text, "utf-8"))

    def hook_text(n: int) -> str:
        return f"def on_post_page(output, **kw):\n    return output + '<!--{n}-->'\n"

    parent = tmp_path / "base.yml"
    hook = tmp_path / "hooks" / "hook.py"
    snippet = tmp_path / "snippets" / "part.md"
    return {
        "env_tag": (config('\ncopyright: !ENV [HUB_COPYRIGHT, "默认"]\n'), lambda: os.environ.__setitem__("HUB_COPYRIGHT", "乙")),
        "inherit": (lambda: (parent.write_text("copyright: 旧\n", "utf-8"), config(f"\nINHERIT: {parent}\n")()),
                    write(parent, "copyright: 新\n")),
        "hook": (lambda: (write(hook, "def on_post_page(output, **kw):\n    return output + '<!--1-->'\n")(),
                          config(f"\nhooks:\n  - {hook}\n")()),
                 write(hook, "def on_post_page(output, **kw):\n    return output + '<!--2-->'\n")),
        "snippet": (lambda: (write(snippet, "片段一\n")(), write(docs / "about.md", '# 关于\n\n--8<-- "part.md"\n')(),
                             config(f"\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: [{snippet.parent}]\n")()),
                    write(snippet, "片段二\n")),
        "hidden_inherit": (lambda: (write(root / ".base.yml", "copyright: 旧\n")(), config("\nINHERIT: .base.yml\n")()),
                           write(root / ".base.yml", "copyright: 新\n")),
        "node_modules_hook": (lambda: (write(root / "node_modules" / "h" / "hook.py", hook_text(1))(),
                                       config("\nhooks:\n  - node_modules/h/hook.py\n")()),
                              write(root / "node_modules" / "h" / "hook.py", hook_text(2))),
        "linked_docs": (lambda: (write(tmp_path / "shared" / "s.md", "# 共享页 一\n")(),
                                 (docs / "shared").symlink_to(tmp_path / "shared", target_is_directory=True)),
                        write(tmp_path / "shared" / "s.md", "# 共享页 二\n")),
        "snippet_cwd": (lambda: (write(tmp_path / "cwd" / "parts" / "p.md", "片段甲\n")(),
                                 write(docs / "about.md", '# 关于\n\n--8<-- "p.md"\n')(),
                                 config("\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: [parts]\n")()),
                        write(tmp_path / "cwd" / "parts" / "p.md", "片段乙\n")),
        "docs_node_modules": (write(docs / "node_modules" / "x.txt", "一"), write(docs / "node_modules" / "x.txt", "二")),
        "docs_site_like": (lambda: [write(docs / "old" / n, "<p>旧</p>")() for n in stamp.SITE_MARKERS],
                           write(docs / "old" / "index.html", "<p>新</p>")),
    }


@pytest.mark.parametrize("case", ["env_tag", "inherit", "hook", "snippet", "hidden_inherit", "node_modules_hook",
                                  "linked_docs", "snippet_cwd", "docs_node_modules", "docs_site_like"])
def test_inputs_outside_the_hub_and_in_the_environment_are_followed(hub, tmp_path, case, monkeypatch):
    """Each input is followed by the stamp (a real build runs) and by the page cache (that build equals a
    build without any cache into a fresh folder)."""
    monkeypatch.setenv("HUB_COPYRIGHT", "甲")
    setup, change = _outside_setups(hub, tmp_path)[case]
    setup()
    out, cwd = tmp_path / "site", tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)

    def build(target: Path, **env) -> str:
        proc = run_build("build", "-q", "-f", str(hub), "-d", str(target), cwd=cwd, env={"CI": "true", **env})
        assert proc.returncode == 0, proc.stderr
        return proc.stderr

    assert BUILT in build(out)
    assert SKIPPED in build(out)
    change()
    assert BUILT in build(out)
    build(tmp_path / "fresh", JIANGTANG_CACHE="0")
    warm, cold = _tree(out), _tree(tmp_path / "fresh")
    assert sorted(warm) == sorted(cold)
    assert [k for k in warm if warm[k][0] != cold[k][0]] == []


def test_a_back_dated_output_edit_of_the_same_size_is_noticed(hub, tmp_path):
    out = tmp_path / "site"
    _build(hub, out)
    page = out / "index.html"
    st = page.stat()
    data = page.read_bytes()
    page.write_bytes(data.replace("<html".encode(), "<HTML".encode(), 1))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert page.stat().st_size == st.st_size and page.stat().st_mtime_ns == st.st_mtime_ns
    assert BUILT in _build(hub, out)
    assert page.read_bytes() == data


def test_same_day_different_time_rebuilds_when_the_sitemap_date_changes(hub, tmp_path):
    hub.write_text(hub.read_text("utf-8") + "\nsite_url: https://example.gov.cn/\n", "utf-8")
    out = tmp_path / "site"
    evening = 1796040000  # 2026-11-30 20:00 in Shanghai, 12:00 UTC
    _build(hub, out, SOURCE_DATE_EPOCH=str(evening))
    proc = run_build("build", "-q", "-f", str(hub), "-d", str(out),
                     env={"CI": "true", "SOURCE_DATE_EPOCH": str(evening - 13 * 3600)})  # 07:00 Shanghai, 29th in UTC
    assert BUILT in proc.stderr, proc.stderr


def test_leftovers_of_interrupted_builds_are_swept(hub, tmp_path):
    """An interrupted build can leave ``.site.tmp-<pid>-…`` or ``.site.old-<pid>`` beside the site; the next build
    removes those whose process is gone and leaves a running build's folder alone."""
    out = tmp_path / "site"
    dead = 4_000_000
    while True:
        try:
            os.kill(dead, 0)
            dead -= 1
        except ProcessLookupError:
            break
        except PermissionError:
            dead -= 1
    stale = [tmp_path / f".site.old-{dead}", tmp_path / f".site.tmp-{dead}-x1"]
    running = tmp_path / f".site.tmp-{os.getpid()}-x2"
    for folder in [*stale, running]:
        folder.mkdir()
        (folder / "index.html").write_text("旧", "utf-8")
    _build(hub, out)
    assert not any(f.exists() for f in stale) and running.is_dir()
