"""Deterministic synthetic hubs for ``make bench`` (content contract v1).

A hub of size ``N`` holds ``N`` lectures of about 3,000 Chinese characters
(headings, paragraphs, bullet and numbered lists, a table), ``N/10`` speakers
and ``5N`` session records split by month. The text is random but Chinese-like:
two- to four-character words from pypinyin's phrase dictionary (a real word
list) drawn with Zipf-like weights. Same ``N`` and seed → byte-identical hub.

Usage::

    python benchmarks/generate.py 1000 /tmp/hub-1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import shutil
from itertools import accumulate
from pathlib import Path

from pypinyin.phrases_dict import phrases_dict

log = logging.getLogger(__name__)

#: Bump when the generated hub changes, so cached hubs are regenerated.
GENERATOR_VERSION = 1
#: Build date used by the benchmark (``SOURCE_DATE_EPOCH``): 2026-01-01 00:00 Asia/Shanghai.
SOURCE_DATE_EPOCH = "1767196800"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单仇解翟缪"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅海燕志文斌晓东春生卫小玉新宏立德"
TOWNS = ["掘港街道", "城中街道", "岔河镇", "洋口镇", "长沙镇", "栟茶镇", "马塘镇", "双甸镇", "大豫镇", "丰利镇",
         "曹埠镇", "新店镇", "河口镇", "袁庄镇", "苴镇街道"]
TOPICS = ["乡村振兴", "基层治理", "党史学习教育", "生态文明", "共同富裕", "法治建设", "文明实践", "产业发展",
          "科技创新", "民生保障", "安全生产", "移风易俗", "红色文化", "粮食安全", "数字乡村"]
AUDIENCES = ["农村党员", "企业职工", "快递从业人员", "青年学生", "社区居民", "机关干部", "退休老同志"]
TEAMS = ["党员干部", "理论专家", "百姓名嘴"]
CLASSROOMS = ["党员微信群", "学习强国", "云课堂", "融媒平台", "情境课堂", "板凳课堂", "庭院课堂", "车间课堂",
              "田间课堂", "工地课堂", "文明实践", "志愿服务", "政策宣传"]
MODES = ["集中宣讲", "点单式宣讲", "结对联训", "送学上门"]
ROLES = ["村党总支书记", "退休教师", "党校讲师", "社区书记", "驻村第一书记", "企业党委书记", "乡村医生"]
PUNCT = "，，，，。。；、"


class Corpus:
    """Random Chinese-like text from a fixed seed.

    Args:
        seed: random seed; the same seed yields the same sequence of calls' output.
    """

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        words = sorted(w for w in phrases_dict if 2 <= len(w) <= 4)
        random.Random(7).shuffle(words)
        self.words = words[:20000]
        self.cum = list(accumulate(1.0 / (r + 10) for r in range(len(self.words))))

    def phrase(self, n_words: int) -> str:
        """``n_words`` words joined without spaces."""
        return "".join(self.rnd.choices(self.words, cum_weights=self.cum, k=n_words))

    def sentence(self) -> str:
        """A sentence of 12–40 characters with inner commas, ending in 。."""
        parts = [self.phrase(self.rnd.randint(2, 5)) for _ in range(self.rnd.randint(1, 3))]
        return "，".join(parts) + "。"

    def paragraph(self, chars: int) -> str:
        """Sentences until about ``chars`` characters."""
        out, n = [], 0
        while n < chars:
            s = self.sentence()
            out.append(s)
            n += len(s)
        return "".join(out)


def lecture_body(c: Corpus) -> str:
    """A lecture body of about 3,000 characters: five sections, lists and a table."""
    rnd = c.rnd
    parts = [c.paragraph(200)]
    for sec in range(5):
        parts.append(f"## {['一', '二', '三', '四', '五'][sec]}、{c.phrase(3)}")
        parts.append(c.paragraph(rnd.randint(250, 350)))
        if sec == 1:
            parts.append("\n".join(f"- **{c.phrase(1)}**：{c.sentence()}" for _ in range(4)))
        if sec == 2:
            parts.append("\n".join(f"{i}. {c.sentence()}" for i in range(1, 5)))
        if sec == 3:
            rows = ["| 项目 | 目标 | 进展 |", "|---|---|---|"]
            rows += [f"| {c.phrase(1)} | {c.phrase(2)} | {c.phrase(2)} |" for _ in range(4)]
            parts.append("\n".join(rows))
        parts.append(f"### {c.phrase(2)}")
        parts.append(c.paragraph(rnd.randint(150, 220)))
    return "\n\n".join(parts) + "\n"


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def generate(n: int, out: Path, seed: int = 1) -> Path:
    """Write a hub of ``n`` lectures into ``out`` (replaced if it exists).

    Args:
        n: number of lectures (speakers: ``max(1, n // 10)``; sessions: ``5 n``).
        out: target folder.
        seed: random seed.

    Returns:
        The hub's ``mkdocs.yml``.
    """
    if out.exists():
        shutil.rmtree(out)
    c = Corpus(seed)
    rnd = c.rnd
    (out / "docs").mkdir(parents=True)
    (out / "mkdocs.yml").write_text(
        "site_name: 合成县理论学习内容中心\n"
        "theme:\n  name: material\n  language: zh\n"
        "plugins:\n  - jiangtang:\n      towns: " + _yaml_list(TOWNS) + "\n", "utf-8")
    (out / "docs" / "index.md").write_text("# 合成县理论学习内容中心\n\n用于性能测试的合成站点。\n", "utf-8")
    n_sp = max(1, n // 10)
    speakers = []
    for i in range(n_sp):
        name = rnd.choice(SURNAMES) + "".join(rnd.choices(GIVEN, k=rnd.randint(1, 2)))
        sid = f"{name}{i:05d}" if i % 2 else f"sp-{i:05d}"
        speakers.append(sid)
        folder = out / "speakers"
        folder.mkdir(exist_ok=True)
        (folder / f"{sid}.yaml").write_text(
            f"name: {name}\nteam: {rnd.choice(TEAMS)}\ntown: {rnd.choice(TOWNS)}\n"
            f"organization: {c.phrase(2)}\nrole: {rnd.choice(ROLES)}\n"
            f"topics: {_yaml_list(rnd.sample(TOPICS, 2))}\n"
            f"bio: |\n  {c.paragraph(120)}\n", "utf-8")
    lectures = []
    start = dt.date(2019, 1, 1)
    for i in range(n):
        date = start + dt.timedelta(days=rnd.randrange(6 * 365))
        lid = f"{c.phrase(2)}-{i:05d}" if i % 2 else f"lec-{i:05d}"
        lectures.append((lid, date))
        folder = out / "lectures" / str(date.year)
        folder.mkdir(parents=True, exist_ok=True)
        sps = [speakers[i % n_sp]] + ([speakers[(i * 7 + 3) % n_sp]] if i % 3 == 0 and n_sp > 1 else [])
        sps = list(dict.fromkeys(sps))
        meta = (f"---\ntitle: {c.phrase(4)}\ndate: {date.isoformat()}\nspeakers: {_yaml_list(sps)}\n"
                f"topics: {_yaml_list(rnd.sample(TOPICS, 2))}\naudiences: {_yaml_list(rnd.sample(AUDIENCES, 1))}\n"
                f"summary: {c.phrase(8)}\nduration: {rnd.choice([30, 45, 60, 90])}\n"
                f"orderable: {'true' if i % 4 == 0 else 'false'}\n---\n\n")
        (folder / f"{lid}.md").write_text(meta + lecture_body(c), "utf-8")
    by_month: dict[str, list[str]] = {}
    for k in range(5 * n):
        lid, ldate = lectures[k % n] if k < n else lectures[rnd.randrange(n)]
        date = ldate + dt.timedelta(days=rnd.randrange(1, 400))
        sp = [speakers[k % n_sp]]
        rec = (f"- date: {date.isoformat()}\n  time: \"{rnd.randint(8, 20):02d}:{rnd.choice(['00', '30'])}\"\n"
               f"  speakers: {_yaml_list(sp)}\n  lecture: {lid}\n  classroom: {rnd.choice(CLASSROOMS)}\n"
               f"  town: {rnd.choice(TOWNS)}\n  venue: {c.phrase(2)}\n  mode: {rnd.choice(MODES)}\n")
        if date <= dt.date(2025, 12, 31):
            rec += f"  audience: {rnd.randint(10, 300)}\n  online_viewers: {rnd.randint(0, 2000)}\n"
        by_month.setdefault(f"{date.year}/{date.month:02d}", []).append(rec)
    for month, recs in sorted(by_month.items()):
        path = out / "sessions" / f"{month}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(recs), "utf-8")
    return out / "mkdocs.yml"


def main(argv: list[str] | None = None) -> int:
    """CLI: ``generate.py N OUT [--seed S]``."""
    p = argparse.ArgumentParser(description="生成用于性能测试的合成讲堂站点")
    p.add_argument("n", type=int, help="讲稿篇数")
    p.add_argument("out", type=Path, help="输出目录（会被覆盖）")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    print(generate(a.n, a.out, a.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
