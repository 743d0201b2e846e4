"""Reading content files: bytes → text → located YAML values.

We parse YAML ourselves (PyYAML's composer, https://pyyaml.org/wiki/PyYAMLDocumentation)
and keep every node's mark, so each later message can name ``path:line:col``.
Front matter lines are counted from the top of the Markdown file. Mistakes typical
of Chinese input methods (full-width ``：``, ``　``, ``，``, brackets) are caught
before the parser sees them, with the exact character and column.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent

from .diagnostics import Report

log = logging.getLogger(__name__)

#: Files larger than this are refused (JT002), in bytes.
MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass
class Node:
    """A YAML value with its position.

    Attributes:
        value: ``str``/``int``/``float``/``bool``/``datetime.date``/``None``,
            ``list[Node]`` for sequences, ``dict[str, Node]`` for mappings.
        line: 1-based line in the file.
        col: 1-based column.
        keys: for mappings, key → (line, col) of the key itself.
        tag: the resolved YAML tag (``"str"``, ``"int"``, ``"seq"``, ``"map"`` …).
        quoted: True for a quoted scalar.
        raw: a scalar's source text as written (``"017"`` for a value read as 15), ``""`` otherwise.
    """

    value: Any
    line: int
    col: int
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    tag: str = ""
    quoted: bool = False
    raw: str = ""

    def plain(self) -> Any:
        """The value with all positions stripped (lists and dicts of plain values)."""
        if isinstance(self.value, list):
            return [n.plain() for n in self.value]
        if isinstance(self.value, dict):
            return {k: n.plain() for k, n in self.value.items()}
        return self.value


@dataclass
class Text:
    """A decoded text file: ``text`` with ``\\n`` line ends and no BOM, or ``None`` on failure."""

    path: str
    text: str | None


def read_text(path, shown: str, report: Report) -> Text:
    """Read a content file as UTF-8 (BOM and CRLF accepted).

    Args:
        path: filesystem path.
        shown: the path as printed in messages.
        report: receives JT001 (not UTF-8; the encoding is detected with
            charset-normalizer and named), JT002 (over :data:`MAX_FILE_BYTES`),
            JT003 (empty) and JT004 (unreadable).

    Returns:
        :class:`Text` whose ``text`` is ``None`` when the file cannot be used.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        report.add(shown, 0, 0, "JT004", f"无法读取文件：{exc.strerror or exc}")
        return Text(shown, None)
    if len(data) > MAX_FILE_BYTES:
        report.add(shown, 0, 0, "JT002", f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB，已拒绝读取")
        return Text(shown, None)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        name = detect_encoding(data)
        report.add(
            shown, line, 0, "JT001",
            f"文件不是 UTF-8 编码（检测结果：{name}）",
            f"运行 `python build.py fix-encoding {shown}` 转成 UTF-8，原文件会备份为 .bak",
        )
        return Text(shown, None)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        report.add(shown, 0, 0, "JT003", "文件是空的")
        return Text(shown, None)
    return Text(shown, text)


#: Encodings tried first: the ones Chinese Windows and Office save in. Short GBK
#: texts are otherwise often taken for Korean (cp949) by statistical detection.
PREFERRED_ENCODINGS = ("gb18030", "big5", "utf_16", "utf_32")


def detect_encoding(data: bytes) -> str:
    """Name the most likely encoding of ``data`` with charset-normalizer, e.g. ``"gb18030"``.

    Chinese encodings (:data:`PREFERRED_ENCODINGS`) are tried first, then every
    encoding charset-normalizer knows
    (https://charset-normalizer.readthedocs.io/, ``from_bytes(cp_isolation=…)``).

    Returns:
        A Python codec name, or ``"未知编码"`` when no candidate decodes it.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(PREFERRED_ENCODINGS)).best() or from_bytes(data).best()
    return best.encoding if best is not None else "未知编码"


# --- input-method mistakes -------------------------------------------------

_KEY_FULLWIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_\-]*)\s*(：)")
_FLOW_LIST = re.compile(r"[:：]\s*[\[［【](.*)$")
_VALUE_START = re.compile(r"^\s*(?:-\s+)?(?:[A-Za-z_][A-Za-z0-9_\-]*\s*:\s*|-\s*)([［｛【〔“”‘’「」])")
_BRACKETS = "［｛"


def scan_ime(text: str, shown: str, report: Report, line_offset: int = 0, list_keys: frozenset = frozenset()) -> bool:
    """Report characters typical of Chinese input methods in YAML structure.

    Args:
        text: the YAML text.
        shown: path printed in messages.
        report: receives JT011–JT015.
        line_offset: lines before ``text`` in the file (front matter).
        list_keys: keys whose values are lists; a full-width quote or 【 at the
            start of their value means a list was meant.

    Returns:
        True when something was reported (the caller skips the YAML parse).
    """
    found = False
    in_block = False
    for i, line in enumerate(text.split("\n"), start=1 + line_offset):
        stripped = line.lstrip(" ")
        if in_block and (not line.strip() or len(line) - len(stripped) > 0):
            continue  # inside a literal block (bio: |), anything goes
        in_block = False
        lead = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        for j, ch in enumerate(lead, start=1):
            if ch == "\t":
                report.add(shown, i, j, "JT013", f"第 {j} 列是制表符（Tab），YAML 不允许用它缩进", "把 Tab 换成空格")
                found = True
                break
            if ch == "\u3000":
                report.add(shown, i, j, "JT012", f"第 {j} 列是全角空格“　”（U+3000）", "把全角空格换成半角空格")
                found = True
                break
        body = line.lstrip(" \t\u3000")
        offset = len(line) - len(body)
        if body.startswith("#"):
            continue
        m = _KEY_FULLWIDTH_COLON.match(body)
        if m:
            col = offset + m.start(3) + 1
            report.add(shown, i, col, "JT011", f"字段 {m.group(2)} 后面是全角冒号“：”（第 {col} 列）", "把“：”改成半角冒号“:”，后面加一个空格")
            found = True
            continue
        m = _FLOW_LIST.search(body)
        if m and body[m.start() + 1:].lstrip().startswith("["):
            inner = m.group(1)
            k = _unquoted_index(inner, "，")
            if k >= 0:
                col = offset + m.start(1) + k + 1
                report.add(shown, i, col, "JT014", f"列表中第 {col} 列是全角逗号“，”，整行会被当作一个值", "把“，”改成半角逗号“,”")
                found = True
                continue
        m = _VALUE_START.match(body)
        if m:
            ch = m.group(1)
            key = body.split(":", 1)[0].strip().lstrip("-").strip()
            if ch in _BRACKETS or key in list_keys or ch in "【〔":
                col = offset + m.start(1) + 1
                report.add(shown, i, col, "JT015", f"第 {col} 列是全角符号“{ch}”", "改成半角符号：列表用 [ ]，引号用 \"")
                found = True
                continue
        if re.search(r":\s*[|>][-+0-9]*\s*$", body):
            in_block = True
    return found


def _unquoted_index(text: str, ch: str) -> int:
    """Index of ``ch`` in ``text`` outside ASCII quotes, or -1."""
    quote = ""
    for k, c in enumerate(text):
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == ch:
            return k
    return -1


# --- YAML ------------------------------------------------------------------


#: Deepest nesting of lists and mappings accepted (content needs 3).
MAX_DEPTH = 20


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no alias bomb can expand) and deep nesting.

    Bounded: with aliases refused, the node tree is at most as large as the
    text, and :data:`MAX_DEPTH` keeps the recursive composer and converter far
    from Python's recursion limit.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _AliasRefused(event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _AliasRefused(Exception):
    def __init__(self, mark) -> None:
        self.mark = mark


class _TooDeep(_AliasRefused):
    pass


_constructor = SafeConstructor()
_TAGS = {
    "tag:yaml.org,2002:str": "str", "tag:yaml.org,2002:int": "int", "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool", "tag:yaml.org,2002:null": "null", "tag:yaml.org,2002:timestamp": "timestamp",
    "tag:yaml.org,2002:seq": "seq", "tag:yaml.org,2002:map": "map",
}


def parse_yaml(text: str, shown: str, report: Report, line_offset: int = 0, list_keys: frozenset = frozenset()) -> Node | None:
    """Parse YAML text into a located :class:`Node` tree.

    Args:
        text: YAML source.
        shown: path printed in messages.
        report: receives JT010 (syntax, with the parser's mark), JT011–JT015
            (input-method characters), JT016 (duplicate key, naming both lines)
            and JT017 (alias).
        line_offset: lines that precede ``text`` in the file.
        list_keys: see :func:`scan_ime`.

    Returns:
        The root node, or ``None`` when the text could not be parsed (or is empty).
    """
    if scan_ime(text, shown, report, line_offset, list_keys):
        return None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except _TooDeep as exc:
        report.add(shown, exc.mark.line + 1 + line_offset, exc.mark.column + 1, "JT018", f"列表或字段嵌套超过 {MAX_DEPTH} 层")
        return None
    except _AliasRefused as exc:
        report.add(shown, exc.mark.line + 1 + line_offset, exc.mark.column + 1, "JT017", "此处使用了 YAML 别名（*）")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else line_offset + 1
        col = mark.column + 1 if mark else 0
        problem = exc.problem or exc.context or "无法解析"
        if _mixed_quote(text, shown, report, line_offset):
            return None
        report.add(shown, line, col, "JT010", f"YAML 语法错误：{_problem_zh(problem)}")
        return None
    except yaml.YAMLError as exc:
        report.add(shown, line_offset + 1, 0, "JT010", f"YAML 语法错误：{exc}")
        return None
    if root is None:
        return None
    return _convert(root, shown, report, line_offset)


_MIXED_QUOTE = re.compile(r"""(["'])[^"'\n]*?([“”‘’])[^"'\n]*$""")


def _mixed_quote(text: str, shown: str, report: Report, off: int) -> bool:
    """After a parse error: report a value opened with an ASCII quote and closed with a full-width one (JT015)."""
    for i, line in enumerate(text.split("\n"), start=1 + off):
        m = _MIXED_QUOTE.search(line)
        if m and line.count(m.group(1)) % 2 == 1:
            col = m.start(2) + 1
            report.add(shown, i, col, "JT015", f"引号不配对：以半角 {m.group(1)} 开头，第 {col} 列却是全角“{m.group(2)}”", "两边都用半角引号 \"")
            return True
    return False


def _problem_zh(problem: str) -> str:
    table = {
        "mapping values are not allowed here": "这里不能出现冒号（含冒号的文字请用引号括起来）",
        "found character '\\t' that cannot start any token": "出现了制表符（Tab）",
        "could not find expected ':'": "缺少冒号“:”",
        "found unexpected end of stream": "文件意外结束（引号或括号没有闭合？）",
        "expected <block end>, but found '<block sequence start>'": "缩进不一致",
        "did not find expected key": "缩进不一致或缺少冒号",
        "did not find expected ',' or ']'": "列表缺少逗号或右括号“]”",
        "found undefined alias": "使用了未定义的别名",
    }
    return table.get(problem, problem)


def _convert(node, shown: str, report: Report, off: int) -> Node:
    line, col = node.start_mark.line + 1 + off, node.start_mark.column + 1
    tag = _TAGS.get(node.tag, node.tag)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        keys: dict[str, tuple[int, int]] = {}
        for knode, vnode in node.value:
            kline, kcol = knode.start_mark.line + 1 + off, knode.start_mark.column + 1
            key = str(knode.value) if isinstance(knode, yaml.ScalarNode) else "?"
            if key in out:
                report.add(shown, kline, kcol, "JT016", f"字段 {key} 重复出现（第一次在第 {keys[key][0]} 行）", f"删除第 {keys[key][0]} 行或第 {kline} 行中的一个")
                continue
            out[key] = _convert(vnode, shown, report, off)
            keys[key] = (kline, kcol)
        return Node(out, line, col, keys, "map")
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(n, shown, report, off) for n in node.value], line, col, tag="seq")
    try:
        value = _constructor.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError, OverflowError):
        value, tag = node.value, "str"  # e.g. 2022-13-45: keep the text, the field check reports it
    return Node(value, line, col, tag=tag, quoted=node.style in ("'", '"'), raw=str(node.value))


# --- front matter ----------------------------------------------------------

@dataclass
class FrontMatterDoc:
    """A Markdown file split into front matter and body.

    Attributes:
        meta: root node of the front matter (a mapping) or ``None`` when broken.
        body: Markdown after the closing ``---``.
        body_line: 1-based line where the body starts.
    """

    meta: Node | None
    body: str
    body_line: int


def split_front_matter(text: str, shown: str, report: Report, list_keys: frozenset = frozenset()) -> FrontMatterDoc:
    """Split ``---``-delimited front matter from a Markdown file and parse it.

    Reports JT020 (no front matter), JT021 (not closed) and whatever
    :func:`parse_yaml` reports, with lines counted from the top of the file.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        report.add(shown, 1, 1, "JT020", "讲稿开头没有 front matter（第一行应为 ---）")
        return FrontMatterDoc(None, text, 1)
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        report.add(shown, 1, 1, "JT021", "front matter 从第 1 行开始，但没有结束的 --- 行")
        return FrontMatterDoc(None, "", len(lines))
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    if not yaml_text.strip():
        report.add(shown, 1, 1, "JT031", "front matter 是空的", "至少填写 title、date、speakers")
        return FrontMatterDoc(None, body, end + 2)
    meta = parse_yaml(yaml_text, shown, report, line_offset=1, list_keys=list_keys)
    return FrontMatterDoc(meta, body, end + 2)
