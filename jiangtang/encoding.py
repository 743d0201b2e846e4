"""``build.py fix-encoding PATH…``: convert a content file to UTF-8 without losing a byte.

Contributors on Chinese Windows often save YAML and Markdown as GBK/GB18030.
The encoding is detected with charset-normalizer, preferring GB18030 for
Chinese text (:func:`jiangtang.source.choose_encoding`), unless ``--from`` names
it. The conversion is refused unless the decoded text encodes back to exactly
the original bytes (so nothing was guessed away); the original is first copied
to ``PATH.bak`` (which must not exist yet: no file is ever overwritten), then
the UTF-8 text replaces the file through a temporary file and an atomic rename,
keeping the file's mode. Line ends are kept as they were. The output names the
encoding and shows the first lines of the converted text, so a wrong guess is
seen at once (and undone from the backup).
"""

from __future__ import annotations

import codecs
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from .source import choose_encoding, has_han, os_error_zh

log = logging.getLogger(__name__)

OK, FAILED = 0, 1


class EncodingFixError(Exception):
    """A file that cannot be converted safely; the message is Chinese, for the user."""


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


#: Lines of the converted text shown after a conversion.
PREVIEW_LINES = 3


class Fixed(NamedTuple):
    """A converted file.

    Attributes:
        encoding: the codec the file was decoded with.
        backup: the ``.bak`` copy of the original bytes.
        note: why the encoding was chosen over the detector's answer (Chinese), or ``""``.
        text: the converted text.
    """

    encoding: str
    backup: Path
    note: str = ""
    text: str = ""


def fix_file(path: Path, source_encoding: str | None = None) -> Fixed | None:
    """Convert one file to UTF-8 in place, keeping the original as ``PATH.bak``.

    Args:
        path: the file.
        source_encoding: codec name to decode with; detected when ``None``.

    Returns:
        :class:`Fixed` (``encoding, backup, note, text``), or ``None`` when the
        file already is UTF-8 (nothing is written then).

    Raises:
        EncodingFixError: the file is missing, the encoding is unknown or cannot
            decode it, the round trip would not reproduce every byte, or the
            backup file already exists. Nothing is written in any of these cases.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise EncodingFixError(f"文件 {path} 不存在") from None
    except OSError as exc:
        raise EncodingFixError(f"无法读取 {path}：{os_error_zh(exc, path)}") from None
    if source_encoding is None and _is_utf8(data):
        return None
    encoding, note = (source_encoding, "") if source_encoding else choose_encoding(data)
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise EncodingFixError(f"无法用 {encoding} 解码 {path}，未作任何修改（可用 --from 指定编码，例如 --from gb18030）") from None
    if not has_han(text) and codecs.lookup(encoding).name != "gb18030":
        try:
            gb = data.decode("gb18030")
        except UnicodeDecodeError:
            gb = ""
        if has_han(gb) and gb.encode("gb18030") == data:
            note = f"按 {encoding} 解码没有一个汉字，按 GB18030 解码才有，已改用 GB18030"
            encoding, text = "gb18030", gb
    if text.encode(encoding) != data:
        raise EncodingFixError(f"{path} 用 {encoding} 转换后不能逐字节还原，未作任何修改（可用 --from 指定编码）")
    backup = path.with_name(path.name + ".bak")
    try:
        with open(backup, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except FileExistsError:
        raise EncodingFixError(f"备份文件 {backup} 已存在，未作任何修改（请先移走或删除它）") from None
    if backup.read_bytes() != data:
        raise EncodingFixError(f"备份 {backup} 与原文件不一致，未修改 {path}")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
        shutil.copymode(path, tmp)  # mkstemp creates 0600; keep the file's own mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Fixed(encoding, backup, note, text)


def preview(text: str, lines: int = PREVIEW_LINES) -> str:
    """The first ``lines`` non-blank lines of ``text``, indented, for the user to confirm."""
    shown = [ln for ln in text.replace("\r\n", "\n").split("\n") if ln.strip()][:lines]
    return "\n".join("    " + ln[:80] for ln in shown)


def add_parser(sub) -> None:
    """Register the ``fix-encoding`` subcommand on an argparse subparsers object."""
    p = sub.add_parser("fix-encoding", help="把 GBK 等编码的文件转成 UTF-8（保留 .bak 备份）")
    p.add_argument("paths", nargs="+", metavar="文件", help="要转换的文件")
    p.add_argument("--from", dest="source_encoding", default=None, metavar="编码", help="原编码（默认自动检测），例如 gb18030")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run ``fix-encoding``: convert every path; exit 1 when any could not be converted."""
    status = OK
    for name in args.paths:
        path = Path(name)
        try:
            result = fix_file(path, args.source_encoding)
        except EncodingFixError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            status = FAILED
            continue
        if result is None:
            print(f"{name}: 已经是 UTF-8，无需转换", file=sys.stderr)
        else:
            note = f"（{result.note}）" if result.note else ""
            print(f"{name}: 已从 {result.encoding} 转成 UTF-8{note}，原文件备份为 {result.backup.name}。"
                  f"转换后的开头几行如下，如果是乱码，请用备份恢复后加 --from 指定编码重试：\n{preview(result.text)}",
                  file=sys.stderr)
    return status
