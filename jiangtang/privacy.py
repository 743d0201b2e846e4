"""Personal data that must never be published: mobile numbers and resident ID numbers.

A hub publishes speakers' public profiles only (content contract v1, "Speaker").
We look for two kinds of personal numbers anywhere in a published file:

* mainland mobile numbers: 11 digits starting ``1[3-9]`` (numbering plan of the
  MIIT, 《电信网编号计划》), optionally written ``+86``/``86`` first and with
  spaces, hyphens or dots as ``3-4-4`` groups;
* 18-digit resident identity numbers (GB 11643-1999): 6-digit area code, birth
  date ``YYYYMMDD``, 3-digit sequence and a check character computed with
  ISO 7064 MOD 11-2, written whole or grouped ``6-8-4`` or ``4-4-4-4-2``. Only
  numbers whose birth date exists and whose check character is right are
  reported, so ordinary long numbers pass.

Text is NFKC-normalised first (full-width ``１３９`` reads as ``139``), character
by character so columns stay right. File names are scanned too (a file name is
an id, and ids end up in page addresses and open data), and so is the site's
ordering ``contact`` in ``mkdocs.yml`` (mobile numbers only: an office landline
such as ``0513-81234567`` is what belongs there). Digits inside a web address
(``https://…?id=13912345678``) are an article number, not a phone, and are
skipped; a ``tel:`` link is not.

Codes: JT065 (mobile number), JT066 (resident ID number).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from pathlib import PurePosixPath

from .diagnostics import Report

log = logging.getLogger(__name__)

_MOBILE = re.compile(r"(?<![\d\w.])(?:\+?86[ \-]?)?(1[3-9]\d)([ \-.]?)(\d{4})\2(\d{4})(?![\d\w]|\.\d)", re.ASCII)
_RESIDENT_ID = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx])(?![\dA-Za-z])")
#: A resident ID number written in groups: 6-8-4 (area, birth date, sequence + check) or 4-4-4-4-2.
_RESIDENT_ID_GROUPED = re.compile(
    r"(?<![\dA-Za-z])(?:(\d{6})([ \-.])(\d{8})\2(\d{3}[\dXx])"
    r"|(\d{4})([ \-.])(\d{4})\6(\d{4})\6(\d{4})\6(\d[\dXx]))(?![\dA-Za-z])")
#: Web addresses, whose digits are ids or dates rather than phone numbers.
_URL = re.compile(r"(?:https?:)?//[^\s)\]>\"'<]+", re.IGNORECASE)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """The check character of a resident ID number (GB 11643-1999, ISO 7064 MOD 11-2).

    Args:
        first17: the first 17 digits.

    Returns:
        ``"0"``–``"9"`` or ``"X"``.

    Raises:
        ValueError: when ``first17`` is not 17 digits.
    """
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(first17)
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def is_resident_id(text: str) -> bool:
    """True for an 18-character resident ID number with a real birth date and a right check character."""
    if not _RESIDENT_ID.fullmatch(text):
        return False
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    if born.year < 1880:
        return False
    return id_check_char(text[:17]) == text[17].upper()


def _mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


#: A cheap first look: 11 digits in a row, ASCII or full-width, maybe separated by
#: one space, dash or dot (every mobile and ID number the scanner reports has one).
_CANDIDATE = re.compile(r"(?:\d[\s\-.\uff0d\u3000]?){10}\d")


def fold(text: str) -> str:
    """``text`` NFKC-normalised character by character (``１３９`` → ``139``), same length.

    A character whose NFKC form is not exactly one character (``㈠`` → ``(一)``)
    is kept as it is, so every column stays where it was.
    """
    if text.isascii():
        return text
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def find_numbers(text: str) -> list[tuple[int, str, str]]:
    """Personal numbers in one line of text.

    Args:
        text: one line (no ``\\n``).

    Returns:
        ``(column, code, digits)`` for each number found: 1-based column in
        ``text``, ``"JT065"`` (mobile) or ``"JT066"`` (resident ID), and the
        number's characters without separators.
    """
    line = fold(text)
    if not any(c.isdigit() for c in line):
        return []
    found = []
    for m in _RESIDENT_ID.finditer(line):
        if is_resident_id(m.group(1)):
            found.append((m.start(1) + 1, "JT066", m.group(1)))
    for m in _RESIDENT_ID_GROUPED.finditer(line):
        digits = "".join(g for g in m.groups() if g and g not in " -.")
        if is_resident_id(digits):
            found.append((m.start() + 1, "JT066", digits))
    urls = [u.span() for u in _URL.finditer(line)]
    for m in _MOBILE.finditer(line):
        if any(a <= m.start() < b for a, b in urls):
            continue
        found.append((m.start() + 1, "JT065", m.group(1) + m.group(3) + m.group(4)))
    return sorted(found)


def _add(report: Report, shown: str, line: int, col: int, code: str, digits: str, where: str) -> None:
    if code == "JT066":
        report.add(shown, line, col, code, f"{where}是身份证号码（{_mask(digits)}），不能公开发布",
                   "删除身份证号码；宣讲员资料只写内容约定中的字段")
    else:
        report.add(shown, line, col, code, f"{where}是手机号码（{_mask(digits)}），不能公开发布",
                   "删除手机号码；需要联系方式时写单位的办公电话或留言渠道")


def scan(text: str, shown: str, report: Report, line_offset: int = 0) -> None:
    """Report mobile numbers (JT065) and resident ID numbers (JT066) in ``text`` and in the file's name.

    Args:
        text: a whole published file (YAML, or Markdown with its front matter).
        shown: path printed in messages; its last part (the file name, i.e.
            the id that ends up in page addresses) is scanned too.
        report: receives the diagnostics; the number itself is masked in the
            message, so CI logs do not repeat it.
        line_offset: lines before ``text`` in the file.
    """
    name = PurePosixPath(shown.replace("\\", "/")).name
    for _, code, digits in find_numbers(name):
        _add(report, shown, 1, 1, code, digits, f"文件名“{name.replace(digits, _mask(digits))}”里")
    if not _CANDIDATE.search(text):
        return  # no run of 11 digits (full-width included, separators allowed): nothing to look at
    for i, line in enumerate(text.split("\n"), start=1 + line_offset):
        if not _CANDIDATE.search(line):
            continue
        for col, code, digits in find_numbers(line):
            _add(report, shown, i, col, code, digits, f"第 {col} 列")


def scan_config(config, report: Report) -> None:
    """Report a mobile number in the hub's ordering ``contact`` (``mkdocs.yml``, JT065).

    The contact is printed on the ordering menu page, so it must be an office
    number (``0513-81234567``), never a person's mobile. Resident ID numbers
    are reported there too.

    Args:
        config: the loaded :class:`jiangtang.config.HubConfig` (``options["contact"]``, ``path``).
        report: receives the diagnostics, located at the ``contact:`` line of ``mkdocs.yml``.
    """
    from .config import shown_path

    value = config.options.get("contact") if isinstance(config.options, dict) else None
    if not isinstance(value, str) or not find_numbers(value.replace("\n", " ")):
        return
    shown = shown_path(config.path)
    try:
        lines = config.path.read_text("utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        lines = []
    for i, line in enumerate(lines, start=1):
        if line.strip().startswith("contact:"):
            for col, code, digits in find_numbers(line):
                _add(report, shown, i, col, code, digits, f"点单联系方式（contact）第 {col} 列")
            return
    for _, code, digits in find_numbers(value.replace("\n", " ")):
        _add(report, shown, 1, 1, code, digits, "点单联系方式（contact）里")
