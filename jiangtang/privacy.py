"""Personal data that must never be published: mobile numbers and resident ID numbers.

A hub publishes speakers' public profiles only (content contract v1, "Speaker").
We look for two kinds of personal numbers anywhere in a published file:

* mainland mobile numbers: 11 digits starting ``1[3-9]`` (numbering plan of the
  MIIT, 《电信网编号计划》), optionally written ``+86``/``86`` first and with
  spaces or hyphens as ``3-4-4`` groups;
* 18-digit resident identity numbers (GB 11643-1999): 6-digit area code, birth
  date ``YYYYMMDD``, 3-digit sequence and a check character computed with
  ISO 7064 MOD 11-2. Only numbers whose birth date exists and whose check
  character is right are reported, so ordinary long numbers pass.

Codes: JT065 (mobile number), JT066 (resident ID number).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from .diagnostics import Report

log = logging.getLogger(__name__)

_MOBILE = re.compile(r"(?<![\d\w])(?:\+?86[\s-]?)?(1[3-9]\d)([\s-]?)(\d{4})\2(\d{4})(?![\d\w])", re.ASCII)
_RESIDENT_ID = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx])(?![\dA-Za-z])")
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


def scan(text: str, shown: str, report: Report, line_offset: int = 0) -> None:
    """Report mobile numbers (JT065) and resident ID numbers (JT066) in ``text``.

    Args:
        text: a whole published file (YAML, or Markdown with its front matter).
        shown: path printed in messages.
        report: receives the diagnostics; the number itself is masked in the
            message, so CI logs do not repeat it.
        line_offset: lines before ``text`` in the file.
    """
    for i, line in enumerate(text.split("\n"), start=1 + line_offset):
        if not any(c.isdigit() for c in line):
            continue
        for m in _RESIDENT_ID.finditer(line):
            if is_resident_id(m.group(1)):
                report.add(shown, i, m.start(1) + 1, "JT066", f"第 {m.start(1) + 1} 列是身份证号码（{_mask(m.group(1))}），不能公开发布",
                           "删除身份证号码；宣讲员资料只写内容约定中的字段")
        for m in _MOBILE.finditer(line):
            number = m.group(1) + m.group(3) + m.group(4)
            report.add(shown, i, m.start() + 1, "JT065", f"第 {m.start() + 1} 列是手机号码（{_mask(number)}），不能公开发布",
                       "删除手机号码；需要联系方式时写单位的办公电话或留言渠道")
