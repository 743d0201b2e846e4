"""Building the contract-only fixture hub: permalinks, directory order, heading ids, links, errors."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_build

COUNTY = FIXTURES / "county"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("county") / "site"
    def listing():  # the hub's own files; the page cache lives in .cache/ (git-ignored, like Material's)
        return sorted(p.relative_to(COUNTY) for p in COUNTY.rglob("*") if ".cache" not in p.relative_to(COUNTY).parts)

    before = listing()
    proc = run_build("build", "-f", str(COUNTY / "mkdocs.yml"), "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    # nothing generated is written into the hub's folders
    assert listing() == before
    return out


def html(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


def article(site: Path, path: str) -> str:
    text = html(site, path)
    return text[text.index("<article"):text.index("</article>")]


def test_permalinks(site):
    for path in ["lectures/shi-jian-lun/index.html", "lectures/tianjian/index.html", "lectures/kuai-di/index.html",
                 "speakers/shan-li/index.html", "speakers/zeng-guo-hua/index.html", "speakers/xie-xiao-dong/index.html",
                 "speakers/qiu-hong-mei/index.html", "speakers/le-tian/index.html", "speakers/an-ran-custom/index.html",
                 "speakers/zhang-wei-cha-he/index.html", "speakers/zhang-wei-yang-kou/index.html",
                 "speakers/zhou-ming/index.html", "lectures/index.html", "speakers/index.html", "sessions/index.html",
                 "index.html", "search/index.html"]:
        assert (site / path).is_file(), path


def test_every_output_path_is_ascii(site):
    bad = [p for p in site.rglob("*") if not str(p.relative_to(site)).isascii()]
    assert bad == []
    assert (site / "guan-yu" / "index.html").is_file() or (site / "about" / "index.html").is_file()


def test_speaker_directory_grouped_by_team_in_pinyin_order(site):
    text = article(site, "speakers/index.html")
    teams = [m for m in re.findall(r"<h2[^>]*>(.*?)<", text)]
    assert [t.split("（")[0] for t in teams] == ["党员干部", "理论专家", "百姓名嘴"]
    order = re.findall(r'href="\.\./speakers/([a-z0-9-]+)/"|href="([a-z0-9-]+)/"', text)
    slugs = [a or b for a, b in order]
    assert slugs == ["le-tian", "zeng-guo-hua", "zhang-wei-yang-kou", "xie-xiao-dong", "zhou-ming",
                     "an-ran-custom", "qiu-hong-mei", "shan-li", "zhang-wei-cha-he"]
    assert "张伟（岔河镇）" in text and "张伟（洋口镇）" in text


def test_chinese_headings_get_pinyin_ids_unique_and_stable(site):
    text = article(site, "lectures/shi-jian-lun/index.html")
    ids = re.findall(r'<h2 id="([^"]+)"', text)
    assert ids[:3] == ["shi-jian-lun", "diao-cha-yan-jiu", "shi-jian-lun_1"]
    assert not any(re.fullmatch(r"_\d+", i) for i in ids)


def test_relative_lecture_links_are_rewritten(site):
    text = article(site, "lectures/shi-jian-lun/index.html")
    assert 'href="../tianjian/"' in text
    assert 'href="#shi-jian-lun"' in text
    text = article(site, "lectures/tianjian/index.html")
    assert 'href="../shi-jian-lun/#diao-cha-yan-jiu"' in text


def test_lecture_page_shows_every_field(site):
    text = article(site, "lectures/tianjian/index.html")
    for needle in ["田间课堂：高标准农田", "2024年5月20日", "乡村振兴", "农村党员", "点单",
                   'href="../../speakers/shan-li/"', 'href="../../speakers/zhang-wei-cha-he/"',
                   'href="https://www.gov.cn/"', "新华村晒场", "岔河镇", ">60<"]:
        assert needle in text, needle
    att = re.search(r'href="(\.\./\.\./files/[^"]+)">提纲<', text)
    assert att and (site / "lectures/tianjian" / att.group(1)).resolve().is_file()
    text = article(site, "lectures/shi-jian-lun/index.html")
    assert "45 分钟" in text and "读原著，谈调查研究。" in text


def test_speaker_page_lists_lectures_sessions_and_totals(site):
    text = article(site, "speakers/shan-li/index.html")
    for needle in ["百姓名嘴", "岔河镇", "退休教师", "乡村振兴", "<strong>晒场</strong>", 'href="../../lectures/tianjian/"']:
        assert needle in text, needle
    assert re.search(r"已宣讲 <strong>1</strong> 场，现场听众 <strong>60</strong> 人次", text)


def test_sessions_page_upcoming_first(site):
    text = article(site, "sessions/index.html")
    assert text.index("即将举行") < text.index("2099年1月1日") < text.index("已举行")
    held = re.findall(r"(\d{4})年(\d+)月(\d+)日", text[text.index("已举行"):])
    dates = [tuple(map(int, d)) for d in held]
    assert dates == sorted(dates, reverse=True) and len(dates) == 4


def test_home_figures(site):
    text = article(site, "index.html")
    figures = dict(re.findall(r'data-figure="(\w+)"><strong>(\d+)</strong>', text))
    assert figures == {"lectures": "3", "speakers": "9", "sessions": "4", "audience": "215", "online": "1500", "towns": "3"}
    assert "这是测试用的小站点" in text


def copy_hub(tmp_path: Path) -> Path:
    hub = tmp_path / "hub"
    shutil.copytree(COUNTY, hub)
    return hub


def test_broken_lecture_link_is_a_located_error(tmp_path):
    hub = copy_hub(tmp_path)
    path = hub / "lectures/2024/kuaidi.md"
    path.write_text(path.read_text("utf-8") + "\n[另见](../2023/nope.md)\n", "utf-8")
    out = tmp_path / "site"
    proc = run_build("build", "-f", str(hub / "mkdocs.yml"), "-d", str(out), cwd=tmp_path)
    assert proc.returncode == 1
    assert re.search(r"hub/lectures/2024/kuaidi\.md:10:6: JT054", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_slug_clash_names_both_files(tmp_path):
    hub = copy_hub(tmp_path)
    (hub / "speakers/shan-li.yaml").write_text("name: 单莉\nteam: 理论专家\n", "utf-8")
    proc = run_build("check", "-f", str(hub / "mkdocs.yml"), cwd=tmp_path)
    assert proc.returncode == 1
    line = next(l for l in proc.stderr.splitlines() if "JT053" in l)
    assert "shan-li.yaml" in line and "单丽.yaml" in line


def test_failed_build_keeps_previous_site(tmp_path):
    hub = copy_hub(tmp_path)
    out = tmp_path / "site"
    assert run_build("build", "-f", str(hub / "mkdocs.yml"), "-d", str(out)).returncode == 0
    marker = (out / "index.html").read_bytes()
    (hub / "sessions/2024.yaml").write_text("- date: 2024-13-01\n  speakers: [单丽]\n  title: x\n  classroom: 田间课堂\n", "utf-8")
    proc = run_build("build", "-f", str(hub / "mkdocs.yml"), "-d", str(out))
    assert proc.returncode == 1 and "JT033" in proc.stderr
    assert (out / "index.html").read_bytes() == marker


def test_plain_mkdocs_build_uses_the_plugin(tmp_path):
    hub = copy_hub(tmp_path)
    out = tmp_path / "mk"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(hub / "mkdocs.yml"), "-d", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (out / "speakers/shan-li/index.html").is_file()
    assert not (hub / "site").exists()


def test_plain_mkdocs_build_fails_on_bad_content(tmp_path):
    hub = copy_hub(tmp_path)
    (hub / "speakers/单丽.yaml").write_text("name: 单丽\nteam: 宣讲队\n", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(hub / "mkdocs.yml"), "-d", str(tmp_path / "mk")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode != 0
    assert "JT035" in proc.stderr and "单丽.yaml:2" in proc.stderr
