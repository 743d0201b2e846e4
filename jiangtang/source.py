"""Reading content files: bytes → text → located YAML values.

We parse YAML ourselves (PyYAML's composer, https://pyyaml.org/wiki/PyYAMLDocumentation)
and keep every node's mark, so each later message can name ``path:line:col``.
Front matter lines are counted from the top of the Markdown file. Mistakes typical
of Chinese input methods (full-width ``：``, ``　``, ``，``, brackets) are caught
before the parser sees them, with the exact character and column.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import unicodedata
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
        report.add(shown, 0, 0, "JT004", f"无法读取文件：{os_error_zh(exc, path)}")
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


def os_error_zh(exc: OSError, path=None) -> str:
    """A Chinese reason for an :class:`OSError` (``errno`` ENOENT, EACCES, EISDIR …).

    Args:
        exc: the error.
        path: the path that failed; a missing file that is a symbolic link is
            named a dangling link (失效的符号链接) with its target.

    Returns:
        A short Chinese phrase, e.g. ``"文件不存在"``; the system's own text for other errors.
    """
    if exc.errno == errno.ENOENT:
        if path is not None and os.path.islink(path):
            return f"失效的符号链接（指向的 {os.readlink(path)} 不存在）"
        return "文件不存在"
    reasons = {
        errno.EACCES: "没有读取权限（请检查文件权限）",
        errno.EPERM: "操作不被允许（请检查文件权限）",
        errno.EISDIR: "这是一个文件夹，不是文件",
        errno.ENOTDIR: "路径中的某一级不是文件夹",
        errno.ELOOP: "符号链接循环指向自己",
        errno.ENAMETOOLONG: "文件名太长",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "文件系统是只读的",
    }
    return reasons.get(exc.errno, f"系统错误：{exc.strerror or exc}")


#: GB18030 and its subsets, as charset-normalizer may name them.
GB_ENCODINGS = frozenset({"gb18030", "gbk", "gb2312"})
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    """True when ``text`` contains a Chinese (Han) character."""
    return bool(_HAN.search(text))


def _decode_exactly(data: bytes, encoding: str) -> str | None:
    """``data`` decoded with ``encoding`` when it encodes back to the same bytes, else ``None``."""
    try:
        text = data.decode(encoding)
        return text if text.encode(encoding) == data else None
    except (UnicodeError, LookupError):
        return None


def choose_encoding(data: bytes) -> tuple[str, str]:
    """The encoding of non-UTF-8 ``data``, preferring GB18030 for this audience.

    Contributors are on Chinese Windows, which saves GBK/GB18030. Short GBK
    texts decode "cleanly" in several East Asian encodings, and
    charset-normalizer (https://charset-normalizer.readthedocs.io/) may rank
    Big5 or cp949 first (``曾国华`` read as Big5 is ``崠弊貌``). So GB18030 is
    chosen when it decodes every byte into text with Chinese characters and
    either charset-normalizer rates it no more chaotic than its best guess
    (``CharsetMatch.chaos``), or the best guess has no Chinese character at all.

    Returns:
        ``(codec name, note)``; the note (Chinese, may be empty) says when the
        detector's own answer was overruled. ``("未知编码", "")`` when nothing decodes it.
    """
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    gb = _decode_exactly(data, "gb18030")
    if gb is not None and has_han(gb):
        if best is None or best.encoding in GB_ENCODINGS:
            return "gb18030", ""
        gb_match = next((m for m in results if m.encoding in GB_ENCODINGS), None)
        if (gb_match is not None and gb_match.chaos <= best.chaos + 0.01) or not has_han(str(best)):
            return "gb18030", f"自动检测的首选是 {best.encoding}，但按它解码不像简体中文，已改用 GB18030"
    if best is None:
        return "未知编码", ""
    return best.encoding, ""


def detect_encoding(data: bytes) -> str:
    """Name the most likely encoding of ``data``, e.g. ``"gb18030"`` (see :func:`choose_encoding`).

    Returns:
        A Python codec name, or ``"未知编码"`` when no candidate decodes it.
    """
    return choose_encoding(data)[0]


# --- input-method mistakes -------------------------------------------------

#: Chinese names of the invisible format characters (Unicode category Cf) met in pasted text.
_INVISIBLE_NAMES = {
    "\u00ad": "软连字符", "\u200b": "零宽空格", "\u200c": "零宽不连字", "\u200d": "零宽连字",
    "\u200e": "从左到右标记", "\u200f": "从右到左标记", "\u2060": "零宽不换行", "\ufeff": "字节顺序标记（BOM）",
    **{chr(c): "文字方向控制符" for c in range(0x202A, 0x202F)},
    **{chr(c): "文字方向隔离符" for c in range(0x2066, 0x206A)},
}


def invisible_name(ch: str) -> str | None:
    """Chinese name of an invisible format character, ``None`` for any visible one.

    A character is invisible when its Unicode general category is ``Cf``
    (format: zero-width spaces, joiners, bidi controls, BOM …; :mod:`unicodedata`),
    except the emoji tag characters U+E0000–U+E007F.
    """
    if unicodedata.category(ch) != "Cf" or 0xE0000 <= ord(ch) <= 0xE007F:
        return None
    return _INVISIBLE_NAMES.get(ch, "不可见的格式字符")


#: Lines made only of characters that are never format characters (ASCII, CJK punctuation and ideographs,
#: full-width forms, dashes and quotes) need no character-by-character look.
_NO_FORMAT_CHAR = re.compile("[\x00-\x7f\u2010-\u2027\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]*")


def scan_invisible(text: str, shown: str, report: Report, line_offset: int = 0) -> bool:
    """Report invisible characters (zero-width, bidi controls, a BOM inside the text) in YAML (JT019).

    They make two equal-looking values differ (``单丽`` and ``单丽\u200b``), so
    every line is scanned, block scalars included; the first one of each line
    is named with its code point and column.

    Returns:
        True when something was reported.
    """
    found = False
    for i, line in enumerate(text.split("\n"), start=1 + line_offset):
        if line.isascii() or _NO_FORMAT_CHAR.fullmatch(line):
            continue
        for j, ch in enumerate(line, start=1):
            name = invisible_name(ch)
            if name:
                report.add(shown, i, j, "JT019", f"第 {j} 列有看不见的字符 U+{ord(ch):04X}（{name}），看起来一样的文字会被当成不同的值",
                           "删除这个字符：在编辑器里把光标移到该列前后，用退格键删掉，或重新手工输入这段文字")
                found = True
                break
    return found


#: Whitespace that is not YAML whitespace: full-width space, no-break space.
_ODD_SPACES = {"\u3000": "全角空格“　”（U+3000）", "\u00a0": "不换行空格（U+00A0，常见于从 Word 或网页复制的文字）"}
#: The structural start of a line: indentation, list dashes, ``key:`` and the blank after it.
_STRUCTURE = re.compile(r"^[ \t\u3000\u00a0]*(?:-[ \t\u3000\u00a0]+)*(?:[A-Za-z_][A-Za-z0-9_\-]*[ \t\u3000\u00a0]*[:：](?=[ \t\u3000\u00a0]|$)[ \t\u3000\u00a0]*)?")
#: A list item written with a full-width dash (－ U+FF0D, — U+2014, – U+2013) instead of ``-``.
_WIDE_DASH = re.compile(r"^[－—–]+(?=[ \t\u3000\u00a0]|$)")
_DASH_NAMES = {"－": "全角减号“－”", "—": "破折号“—”", "–": "短破折号“–”"}

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
    found = scan_invisible(text, shown, report, line_offset)
    in_block = False
    for i, line in enumerate(text.split("\n"), start=1 + line_offset):
        stripped = line.lstrip(" ")
        if in_block and (not line.strip() or len(line) - len(stripped) > 0):
            continue  # inside a literal block (bio: |), anything goes
        in_block = False
        lead = line[: len(line) - len(line.lstrip(" \t\u3000\u00a0"))]
        if lead.strip(" ") or "\u3000" in line or "\u00a0" in line:  # else: plain indentation (the common case)
            where = _odd_lead(line, lead, i, shown, report)
            found = found or bool(where)
            if where == "structure":
                continue
        body = line.lstrip(" \t\u3000\u00a0")
        offset = len(line) - len(body)
        if body.startswith("#"):
            continue
        if body.isascii():  # every check below looks for a full-width character
            if _BLOCK_START.search(body):
                in_block = True
            continue
        m = _WIDE_DASH.match(body)
        if m:
            col = offset + 1
            report.add(shown, i, col, "JT015", f"第 {col} 列是{_DASH_NAMES[body[0]]}，列表项要用半角减号“-”开头",
                       "把它改成半角减号“-”，后面加一个空格，例如“  - 单丽”")
            found = True
            continue
        m = _KEY_FULLWIDTH_COLON.match(body) if "：" in body else None
        if m:
            col = offset + m.start(3) + 1
            report.add(shown, i, col, "JT011", f"字段 {m.group(2)} 后面是全角冒号“：”（第 {col} 列）", "把“：”改成半角冒号“:”，后面加一个空格")
            found = True
            continue
        m = _FLOW_LIST.search(body) if "，" in body else None
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
        if _BLOCK_START.search(body):
            in_block = True
    return found


#: ``key: |`` or ``key: >-``: a block scalar starts on the next line.
_BLOCK_START = re.compile(r":\s*[|>][-+0-9]*\s*$")


def _odd_lead(line: str, lead: str, i: int, shown: str, report: Report) -> str:
    """Report a Tab (JT013) or an odd space (JT012) in a line's indentation, else in its structure.

    Returns:
        ``"lead"`` or ``"structure"`` (where something was reported), or ``""``.
    """
    for j, ch in enumerate(lead, start=1):
        if ch == "\t":
            report.add(shown, i, j, "JT013", f"第 {j} 列是制表符（Tab），YAML 不允许用它缩进", "把 Tab 换成空格")
            return "lead"
        if ch in _ODD_SPACES:
            report.add(shown, i, j, "JT012", f"第 {j} 列是{_ODD_SPACES[ch]}", "把它换成普通的半角空格")
            return "lead"
    structure = _STRUCTURE.match(line).group(0)
    odd = next((j for j, ch in enumerate(structure, start=1) if ch in _ODD_SPACES), 0)
    if odd:
        report.add(shown, i, odd, "JT012", f"第 {odd} 列是{_ODD_SPACES[structure[odd - 1]]}", "把它换成普通的半角空格")
        return "structure"
    return ""


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
    root = _fast_compose(text)
    if root is not None:
        return _convert(root, shown, report, line_offset)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except _TooDeep as exc:
        report.add(shown, exc.mark.line + 1 + line_offset, exc.mark.column + 1, "JT018", f"列表或字段嵌套超过 {MAX_DEPTH} 层")
        return None
    except _AliasRefused as exc:
        report.add(shown, exc.mark.line + 1 + line_offset, exc.mark.column + 1, "JT017", "此处使用了 YAML 别名（*）")
        return None
    except yaml.MarkedYAMLError as exc:
        if _mixed_quote(text, shown, report, line_offset):
            return None
        line, col, message = explain_yaml_error(exc, text)
        report.add(shown, line + line_offset, col, "JT010", f"YAML 语法错误：{message}")
        return None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        report.add(shown, line + line_offset, col, "JT019", f"第 {col} 列有看不见的控制字符 U+{exc.character:04X}",
                   "删除这个字符（常见于从网页或聊天软件复制的文字）")
        return None
    except yaml.YAMLError as exc:
        report.add(shown, line_offset + 1, 1, "JT010", f"YAML 语法错误：无法解析（解析器原文：{exc}）")
        return None
    if root is None:
        return None
    return _convert(root, shown, report, line_offset)


_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:])[&*][^\s,\[\]{}]", re.M)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEEP_INDENT = re.compile(r"^ {%d,}\S" % (2 * MAX_DEPTH), re.M)


def _fast_compose(text: str):
    """Compose ordinary YAML with libyaml's C composer (about 10 times faster).

    Returns ``None`` (the careful pure-Python :class:`_Loader` then runs and
    reports) when the text might hold an anchor or alias, might nest deeper
    than :data:`MAX_DEPTH`, fails to parse (so messages stay those of the
    careful parser) or when PyYAML was built without libyaml.
    """
    if not getattr(yaml, "__with_libyaml__", False) or _MAYBE_ALIAS.search(text) or _DEEP_INDENT.search(text):
        return None
    depth = deepest = 0
    for ch in _NOT_BRACKET.sub("", text):  # flow nesting depth (brackets in quotes only make us careful)
        depth += 1 if ch in "[{" else -1
        deepest = max(deepest, depth)
    if deepest >= MAX_DEPTH // 2:
        return None
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None


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


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_lines(lines: list[str], upto: int) -> list[int]:
    """0-based indexes of the non-blank, non-comment lines before ``upto``."""
    return [k for k in range(min(upto, len(lines))) if lines[k].strip() and not lines[k].lstrip().startswith("#")]


_CANNOT_START = re.compile(r"found character '(.+)' that cannot start any token")
_EXPECTED_FLOW = re.compile(r"expected ',' or '([\]}])', but got")
_UNKNOWN_ESCAPE = re.compile(r"found unknown escape character '?(.+?)'?$")


def explain_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Turn a PyYAML syntax error into a Chinese message at the line really at fault.

    PyYAML (https://pyyaml.org/) reports where it gave up, often the line after
    the mistake and in English. The cases a contributor meets are recognised
    from the parser's ``problem``/``context`` texts and the source lines:
    inconsistent indentation (a line indented more or less than its siblings),
    a missing colon, unclosed quotes and brackets, characters that cannot start
    a value (``@ ` % |``), bad escapes, several documents in one file.

    Args:
        exc: the parser's error (with ``problem_mark``/``context_mark``).
        text: the YAML source that was parsed.

    Returns:
        ``(line, col, message)``: 1-based line and column in ``text``; any
        unrecognised error keeps the parser's text after a Chinese lead.
    """
    lines = text.split("\n")
    problem, context = exc.problem or "", exc.context or ""
    pm, cm = exc.problem_mark, exc.context_mark
    at = (pm.line + 1, pm.column + 1) if pm else ((cm.line + 1, cm.column + 1) if cm else (1, 1))
    cat = (cm.line + 1, cm.column + 1) if cm else at

    if problem.startswith("expected '<document start>'") or problem.startswith("expected <block end>") \
            or problem == "mapping values are not allowed here":
        k = at[0] - 1
        before = _content_lines(lines, k)
        if problem.startswith("expected '<document start>'") and before and _indent(lines[before[0]]) > 0:
            first = before[0]
            return first + 1, 1, (f"第 {first + 1} 行开头多了 {_indent(lines[first])} 个空格，缩进不一致"
                                  "（最外层的“字段: 值”要顶格写，前面不能有空格）")
        if k < len(lines) and before:
            prev = lines[before[-1]]
            mine, theirs = _indent(lines[k]), _indent(prev)
            if problem == "mapping values are not allowed here" and mine > theirs and not prev.rstrip().endswith(":"):
                return k + 1, 1, (f"缩进不一致：第 {k + 1} 行比上一行（第 {before[-1] + 1} 行）多缩进了 {mine - theirs} 个空格"
                                  "；同一层的字段要左边对齐")
            if problem.startswith("expected <block end>"):
                if "'-'" in problem or "'?'" in problem:
                    return k + 1, at[1], "列表项“- ”和“字段: 值”混在了同一层（检查缩进，或是否漏写了字段名）"
                return k + 1, 1, f"缩进不一致：第 {k + 1} 行缩进了 {mine} 个空格，和上面同一层的行对不齐"
        if problem == "mapping values are not allowed here":
            return at[0], at[1], "这里不能出现冒号（含冒号的文字请用引号括起来）"
        return at[0], 1, f"缩进不一致（第 {at[0]} 行）"
    if problem == "could not find expected ':'":
        return cat[0], cat[1], f"第 {cat[0]} 行缺少冒号“:”（每行应写成“字段: 值”或“- 值”）"
    if problem == "found unexpected end of stream" and "quoted scalar" in context:
        return cat[0], cat[1], f"第 {cat[0]} 行第 {cat[1]} 列开始的引号没有闭合"
    if problem == "found unexpected end of stream":
        return cat[0], cat[1], "文件意外结束（引号或括号没有闭合？）"
    m = _EXPECTED_FLOW.match(problem)
    if m:
        opener = "[" if m.group(1) == "]" else "{"
        return at[0], at[1], f"第 {cat[0]} 行第 {cat[1]} 列开始的“{opener}”缺少逗号或右括号“{m.group(1)}”"
    if problem == "did not find expected key":
        return at[0], at[1], "缩进不一致或缺少冒号"
    if problem == "did not find expected ',' or ']'":
        return at[0], at[1], "列表缺少逗号或右括号“]”"
    m = _CANNOT_START.match(problem)
    if m:
        ch = m.group(1)
        if ch == "\\t":
            return at[0], at[1], "出现了制表符（Tab）"
        return at[0], at[1], f"值不能以“{ch}”开头（请把整个值用引号括起来）"
    m = _UNKNOWN_ESCAPE.match(problem)
    if m:
        return at[0], at[1], f"双引号里的“\\{m.group(1)}”不是合法的转义（改用单引号括起来，或写成“\\\\”）"
    if problem == "but found another document" or context.startswith("expected a single document"):
        return at[0], at[1], "文件里有 --- 分隔的第二部分；一个文件只能有一份内容（删除这一行的 ---）"
    if problem == "found undefined alias":
        return at[0], at[1], "使用了未定义的别名"
    if "found duplicate anchor" in problem or "anchor" in problem:
        return at[0], at[1], "不允许使用 YAML 锚点和别名（& 和 *）"
    if problem.startswith("while scanning a block scalar") or "block scalar" in context:
        return at[0], at[1], "多行文字（| 或 >）的写法不对：| 后面要换行，下面的文字要缩进"
    log.debug("untranslated YAML error: %s / %s", context, problem)
    return at[0], at[1], f"无法解析（解析器原文：{problem or context}）"


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
    if tag == "str":  # what SafeConstructor.construct_yaml_str returns, without its bookkeeping
        return Node(node.value, line, col, tag=tag, quoted=node.style in ("'", '"'), raw=node.value)
    try:
        value = _constructor.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError, OverflowError):
        value, tag = node.value, "str"  # e.g. 2022-13-45: keep the text, the field check reports it
    finally:  # the shared constructor memoises every node it saw: forget it, or all files stay in memory
        _constructor.constructed_objects.pop(node, None)
        _constructor.recursive_objects.pop(node, None)
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
