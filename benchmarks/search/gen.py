"""Synthetic hub for search scale measurements (not content: random but Chinese-like).

Vocabulary: two- to four-character phrases from pypinyin's phrase dictionary
(a real Chinese word list) drawn with Zipf weights, so bigram frequencies look
like running text; lecture bodies are about 3,000 characters.
"""

from __future__ import annotations

import random

from pypinyin.phrases_dict import phrases_dict

from jiangtang.search.doc import SearchDoc

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单仇解翟缪"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅海燕志文斌晓东春生卫小玉新宏立德"
TOWNS = ["岔河镇", "洋口镇", "长乐镇", "单家集", "曲塘镇", "南莫镇", "李堡镇", "角斜镇", "大公镇", "雅周镇",
         "白蒲镇", "丁堰镇", "石庄镇", "搬经镇", "磨头镇", "长沙镇", "栟茶镇", "马塘镇", "双甸镇", "城东街道"]
TOPICS = ["乡村振兴", "基层治理", "党史学习", "生态文明", "共同富裕", "法治建设", "文明实践", "产业发展",
          "科技创新", "民生保障", "安全生产", "移风易俗", "红色文化", "粮食安全", "数字乡村"]
KINDS = ["田间课堂", "院落课堂", "车间课堂", "网络课堂", "流动课堂", "夜校课堂"]
PUNCT = "，，，，。。；、：？！"


def vocabulary(seed: int = 7, size: int = 40000) -> list[str]:
    """Return ``size`` phrases of 2–4 characters in a fixed random order (rank = frequency order)."""
    words = sorted(w for w in phrases_dict if 2 <= len(w) <= 4)
    rnd = random.Random(seed)
    rnd.shuffle(words)
    return words[:size]


def make_docs(n_lectures: int, *, body_chars: int = 3000, seed: int = 1) -> list[SearchDoc]:
    """Generate ``n_lectures`` lectures plus one speaker per 25 lectures.

    Args:
        n_lectures: number of lectures.
        body_chars: approximate body length in characters.
        seed: random seed (same seed → same hub).

    Returns:
        A list of :class:`SearchDoc` (lectures first, then speakers).
    """
    rnd = random.Random(seed)
    vocab = vocabulary()
    weights = [1.0 / (r + 10) for r in range(len(vocab))]
    cum = []
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    n_speakers = max(4, n_lectures // 25)
    names = []
    while len(names) < n_speakers:
        nm = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
        if nm not in names:
            names.append(nm)

    def words(k: int) -> list[str]:
        return rnd.choices(vocab, cum_weights=cum, k=k)

    def text(chars: int) -> str:
        out, n = [], 0
        while n < chars:
            sent = "".join(words(rnd.randint(5, 14))) + rnd.choice(PUNCT)
            out.append(sent)
            n += len(sent)
        return "".join(out)

    docs = []
    for i in range(n_lectures):
        year = 2015 + i * 11 // max(1, n_lectures)
        date = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        title = "".join(words(rnd.randint(3, 5)))[:24]
        body = text(body_chars)
        headings = tuple("".join(words(rnd.randint(2, 4))) for _ in range(rnd.randint(3, 6)))
        docs.append(SearchDoc(
            url=f"lectures/{year}/l{i:05d}/",
            kind="lecture",
            title=title,
            date=date,
            speakers=tuple(rnd.sample(names, rnd.choice((1, 1, 2)))),
            headings=headings,
            body=body,
            keywords=(rnd.choice(TOPICS), rnd.choice(TOWNS), rnd.choice(KINDS)),
            summary=body[:60],
        ))
    for j, nm in enumerate(names):
        docs.append(SearchDoc(url=f"speakers/s{j:04d}/", kind="speaker", title=nm,
                              body=text(200), keywords=(rnd.choice(TOWNS), "宣讲员")))
    return docs
