"""Valid, accessible output (issue 7, item 6).

* The Nu HTML Checker (``vnu-jar`` from npm, pinned in package.json, run with the
  machine's Java) finds no error in any page of the demo site, online and offline,
  nor in a permalink redirect page;
* axe-core (npm, injected by Playwright) finds no serious or critical violation on
  the home, a lecture, a speaker, the stats, the calendar and the search page;
* our link checker finds no broken internal link or anchor in the demo site.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from deploy_support import check_links, demo_build
from jiangtang.permalinks import redirect_page

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _need(path: Path, what: str) -> None:
    if path.is_file() and (what != "vnu" or shutil.which("java")):
        return
    msg = f"缺少 {path.relative_to(ROOT)} 或 java：运行 sh tools/ensure-test-tools.sh（npm ci，并安装 Java）"
    if os.environ.get("CI") == "true":
        pytest.fail(msg)
    pytest.skip(msg)


def vnu_errors(folder: Path) -> list[dict]:
    """Run the Nu HTML Checker over every HTML file under ``folder``; its error messages (JSON dicts)."""
    _need(VNU_JAR, "vnu")
    proc = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
                          capture_output=True, text=True, timeout=600)
    return [m for m in json.loads(proc.stderr or '{"messages": []}')["messages"] if m.get("type") == "error"]


def _shown(messages: list[dict]) -> str:
    return "\n".join(f"{m['url'].rsplit('/theory/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages[:40])


def test_nu_html_checker_online(demo_site):
    errors = vnu_errors(demo_site)
    assert errors == [], _shown(errors)


def test_nu_html_checker_offline_and_404_and_redirects(tmp_path):
    site = demo_build(offline=True)
    redirects = tmp_path / "redirects"
    (redirects / "a").mkdir(parents=True)
    (redirects / "a" / "index.html").write_bytes(redirect_page("lectures/old/", "lectures/new/"))
    (redirects / "b.html").write_bytes(redirect_page("speakers/x/", "speakers/", False, "https://example.gov.cn/"))
    errors = vnu_errors(site) + vnu_errors(redirects)
    assert errors == [], _shown(errors)


def test_no_broken_internal_link_or_anchor():
    # built without site_url: then every link must also work from any sub-path (no absolute paths at all)
    assert check_links(demo_build()) == []


AXE_PAGES = {"home": "", "lecture": "lectures/yun-dangke/", "speaker": "speakers/shan-li/", "stats": "stats/",
             "calendar": "calendar/", "search": "search/?q=%E5%86%AC%E8%AE%AD", "404": "lectures/no-such-page/"}


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(AXE_PAGES))
def test_axe_no_serious_violations(demo_site, visit, name):
    _need(AXE_JS, "axe")
    from deploy_support import serve_pages

    origin, httpd = serve_pages(demo_site)
    try:
        path = AXE_PAGES[name]
        if path.split("?")[0] and not (demo_site / path.split("?")[0]).exists() and name not in ("404",):
            pytest.skip(f"演示站点还没有 {path} 页面")
        v = visit(origin + "/")
        page = v.goto(f"{origin}/{path}")
        if name == "search":
            page.wait_for_selector(".jt-result", timeout=15000)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [(x["id"], x["impact"], x["help"], [n["target"] for n in x["nodes"][:3]])
               for x in result["violations"] if x["impact"] in ("serious", "critical")]
        assert bad == [], "\n".join(map(str, bad))
        assert v.foreign == []
    finally:
        httpd.shutdown()
