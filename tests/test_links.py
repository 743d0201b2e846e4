"""Finding, resolving and rewriting links in Markdown bodies."""

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from jiangtang.links import find_links, relative, rewrite

BODY = """见[另见](other.md#实践论)和![图](img/a%20b.png "t")
`[no](x.md)`
```
[no](y.md)
```
[ref]: ../2022/z.md
[web](https://a.cn) [空格](<sp ace.md>)"""


def test_find_links_outside_code():
    found = [(l.target, l.image, l.line, l.col) for l in find_links(BODY)]
    assert found == [("other.md#实践论", False, 1, 7), ("img/a%20b.png", True, 1, 26), ("../2022/z.md", False, 6, 8),
                     ("https://a.cn", False, 7, 7), ("sp ace.md", False, 7, 27)]
    link = find_links(BODY)[1]
    assert link.split() == ("img/a b.png", "") and link.is_relative
    assert not find_links(BODY)[3].is_relative


def test_rewrite_keeps_everything_else():
    links = find_links(BODY)
    new = rewrite(BODY, {(links[0].start, links[0].end): "../x/index.md#shi-jian-lun",
                         (links[4].start, links[4].end): "../s p/index.md"})
    assert "[另见](../x/index.md#shi-jian-lun)" in new and "[空格](<../s p/index.md>)" in new
    assert new.count("\n") == BODY.count("\n")


segment = st.sampled_from(["a", "b", "lectures", "page", "2"])


@given(st.lists(segment, max_size=4), st.lists(segment, max_size=4))
def test_relative_matches_posixpath(src, dst):
    from_page = "/".join([*src, "index.md"])
    to_path = "/".join([*dst, "index.md"])
    assert relative(from_page, to_path) == posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")
