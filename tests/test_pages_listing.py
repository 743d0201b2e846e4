"""Long listings stay cheap and correct: raw HTML tables as Python-Markdown would write them, bounded pagers."""

from __future__ import annotations

import markdown
import pytest

from jiangtang.pages import _pager_numbers, html_table, html_text


def _markdown_table(head, rows) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("rows", [
    [["2022年5月1日", "田间课堂", "栟茶镇"]],
    [["<span id=\"s-1\">2022年5月1日 09:30</span>", "<a href=\"../../towns/chan-cha-zhen/\">栟茶镇</a>", "村部 &amp; 广场"],
     ["", "45", "a &lt; b"]],
])
def test_html_table_is_what_python_markdown_writes_for_the_same_table(rows):
    head = ["日期", "镇（街道）", "地点"]
    raw = html_table(head, rows)
    assert raw.startswith("\n<table>\n") and raw.endswith("</table>\n")
    # As a raw HTML block it passes through the renderer untouched (a raw block is followed by an
    # empty line, the one difference a page shows against a Markdown table) ...
    assert markdown.markdown("导语。\n" + raw + "\n后文。", extensions=["tables", "md_in_html"]) == \
        "<p>导语。</p>\n" + raw.strip("\n") + "\n\n<p>后文。</p>"
    # ... and it is the very table the tables extension makes of the Markdown form.
    assert markdown.markdown(_markdown_table(head, rows), extensions=["tables"]) == raw.strip("\n")


def test_html_text_escapes_like_the_markdown_serialiser():
    text = 'A&B <b> "引号" \n 下一行 '
    assert html_text(text) == 'A&amp;B &lt;b&gt; "引号"   下一行'
    assert markdown.markdown(html_text(text)) == f"<p>{html_text(text)}</p>"


def test_pager_shows_every_page_up_to_eleven():
    assert _pager_numbers(1, 11) == list(range(1, 12))


@pytest.mark.parametrize("count", [12, 50, 499, 5000])
def test_long_pager_is_bounded_and_reaches_ends_and_neighbours(count):
    for page in {1, 2, 3, count // 2, count - 1, count}:
        shown = _pager_numbers(page, count)
        assert len(shown) <= 9
        assert {1, 2, count - 1, count} <= set(shown)
        assert set(range(max(1, page - 2), min(count, page + 2) + 1)) <= set(shown)
        assert shown == sorted(set(shown))
