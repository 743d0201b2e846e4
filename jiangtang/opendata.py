"""Open data (开放数据): ``api/*.json`` with JSON Schemas, and the session records as CSV.

Files (documented in ``docs/api.md``):

* ``api/lectures.json``, ``api/speakers.json``, ``api/sessions.json``: an
  object ``{"version": 1, "site": {...}, "<kind>": [records]}``; record fields
  are the content contract's field names (every key always present: ``null``
  or ``[]`` when not given) plus ``id``/``slug``/``url``/``permalink``;
* ``api/<kind>.schema.json``: JSON Schema (draft 2020-12) of each file, derived
  from the content schemas (:data:`jiangtang.lecture.FIELDS` …) so the two
  cannot drift apart;
* ``api/sessions.csv``: one row per session, UTF-8 with a byte-order mark
  (Excel detects the encoding only with it), Chinese column headings, RFC 4180
  quoting via the :mod:`csv` module.

Sessions are sorted by date, time and uid; lectures and speakers by id, so the
files diff cleanly between builds.
"""

from __future__ import annotations

import csv
import io
import json
import logging

from . import fields as F
from . import lecture as lecture_mod
from . import session as session_mod
from . import speaker as speaker_mod
from .hub import Hub, session_sort_key

log = logging.getLogger(__name__)

#: Format version of the files; bumped only on an incompatible change.
VERSION = 1
#: Kinds published, with their content schema and Chinese name.
KINDS = {"lectures": (lecture_mod.FIELDS, "讲稿"), "speakers": (speaker_mod.FIELDS, "宣讲员"),
         "sessions": (session_mod.FIELDS, "宣讲记录")}
#: CSV columns: (field, heading).
CSV_COLUMNS = (("date", "日期"), ("time", "时间"), ("subject", "主题"), ("lecture", "讲稿编号"), ("speakers", "宣讲员"),
               ("classroom_group", "课堂分组"), ("classroom", "课堂类型"), ("town", "镇（街道）"), ("venue", "地点"),
               ("mode", "宣讲方式"), ("audience", "现场听众"), ("online_viewers", "线上观看"), ("upcoming", "状态"),
               ("note", "备注"), ("uid", "记录编号"))

_STR_OR_NULL = {"type": ["string", "null"]}
_COMMON = {
    "id": ({"type": "string", "minLength": 1}, "编号：文件名（不含扩展名）"),
    "slug": ({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}, "页面地址中的拼音部分"),
    "url": ({"type": "string"}, "页面相对于站点根目录的地址，如 lectures/shi-jian-lun/"),
    "permalink": (_STR_OR_NULL, "页面的完整网址；站点未配置 site_url 时为 null"),
}
_EXTRA = {
    "lectures": {"body_url": ({"type": "string"}, "讲稿正文（Markdown 原文）的相对地址，如 api/lectures/shi-jian-lun.txt；正文不放进本文件，以免文件随讲稿增多而过大")},
    "speakers": {},
    "sessions": {
        "uid": ({"type": "string", "pattern": "^[0-9a-f]{10}$"}, "记录的稳定编号（由日期、时间、宣讲员、主题和地点计算）"),
        "classroom_group": ({"type": "string"}, "课堂分组（网上课堂、小微课堂、实践课堂……）"),
        "upcoming": ({"type": "boolean"}, "true 表示按生成日期尚未举行"),
        "lecture_url": (_STR_OR_NULL, "所讲讲稿页面的相对地址；没有讲稿文件时为 null"),
    },
}


def _field_schema(f: F.Field, vocab) -> dict:
    """Output schema of one content field: lists always arrays, absent optional values ``null``."""
    if isinstance(f, F.TextList):
        s = {"type": "array", "items": {"type": "string"}}
    elif isinstance(f, F.Attachments):
        s = {"type": "array", "items": {"type": "object", "required": ["title", "url"], "additionalProperties": False,
                                        "properties": {"title": {"type": "string"}, "url": {"type": "string"}}}}
    elif isinstance(f, F.Bool):
        s = {"type": "boolean"}
    else:
        s = dict(f.json_schema(vocab))
        if not f.required:
            if "enum" in s:
                s["enum"] = [*s["enum"], None]
            t = s.get("type", "string")
            s["type"] = [t, "null"] if isinstance(t, str) else [*t, "null"]
    s["description"] = f.doc
    return s


def schema(hub: Hub, kind: str) -> dict:
    """The JSON Schema (draft 2020-12) of ``api/<kind>.json`` for this hub's vocabularies."""
    content_fields, name = KINDS[kind]
    props = {} if kind == "sessions" else {k: {**s, "description": d} for k, (s, d) in _COMMON.items()}
    for f in content_fields:
        if f.name == "slug":
            continue
        props[f.name] = _field_schema(f, hub.config.vocab)
    if kind == "speakers":
        props["photo"] = {**_STR_OR_NULL, "description": "照片在站点中的相对地址；没有照片时为 null"}
    for k, (s, d) in _EXTRA[kind].items():
        props[k] = {**s, "description": d}
    record = {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{hub.config.site_url}api/{kind}.schema.json" if hub.config.site_url else f"{kind}.schema.json",
        "title": f"{hub.config.site_name}·{name}开放数据",
        "type": "object",
        "required": ["version", "site", kind],
        "additionalProperties": False,
        "properties": {
            "version": {"const": VERSION, "description": "格式版本"},
            "site": {"type": "object", "required": ["name", "url", "build_date"], "additionalProperties": False,
                     "properties": {"name": {"type": "string"}, "url": _STR_OR_NULL,
                                    "build_date": {"type": "string", "format": "date"}}},
            kind: {"type": "array", "items": record},
        },
    }


def _plain(value, f: F.Field | None = None):
    if f is not None and isinstance(f, (F.TextList,)):
        return list(value or [])
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return None if value in ("", None) else value


def records(hub: Hub, kind: str) -> list[dict]:
    """The records of ``api/<kind>.json`` (plain JSON values, every key present)."""
    base = hub.config.site_url
    out = []
    if kind == "lectures":
        for lec in sorted(hub.lectures.values(), key=lambda x: x.id):
            r = {"id": lec.id, "slug": lec.slug, "url": lec.url, "permalink": base + lec.url if base else None}
            for f in lecture_mod.FIELDS:
                if f.name == "slug":
                    continue
                if f.name == "attachments":
                    r["attachments"] = [{"title": a["title"], "url": a.get("url") or a.get("site_path") or ""} for a in lec.attachments]
                else:
                    r[f.name] = _plain(getattr(lec, f.name), f)
            r["orderable"] = bool(lec.orderable)
            r["body_url"] = body_path(lec)
            out.append(r)
    elif kind == "speakers":
        photos = {v: k for k, v in hub.files.items()}
        for sp in sorted(hub.speakers.values(), key=lambda x: x.id):
            r = {"id": sp.id, "slug": sp.slug, "url": sp.url, "permalink": base + sp.url if base else None}
            for f in speaker_mod.FIELDS:
                if f.name != "slug":
                    r[f.name] = _plain(getattr(sp, f.name), f)
            r["photo"] = photos.get((sp.path.parent / sp.photo).resolve()) if sp.photo else None
            out.append(r)
    else:
        vocab = hub.config.vocab
        for s in sorted(hub.sessions, key=session_sort_key):
            r = {f.name: _plain(getattr(s, f.name), f) for f in session_mod.FIELDS}
            r.update(uid=s.uid, classroom_group=vocab.classroom_group(s.classroom), upcoming=hub.is_upcoming(s),
                     lecture_url=hub.lectures[s.lecture].url if s.lecture else None)
            out.append(r)
    return out


def document(hub: Hub, kind: str) -> dict:
    """The whole ``api/<kind>.json`` object."""
    return {"version": VERSION,
            "site": {"name": hub.config.site_name, "url": hub.config.site_url or None, "build_date": hub.today.isoformat()},
            kind: records(hub, kind)}


def sessions_csv(hub: Hub) -> bytes:
    """``api/sessions.csv``: UTF-8 with BOM, CRLF rows (RFC 4180), Chinese headings (:data:`CSV_COLUMNS`)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h for _, h in CSV_COLUMNS])
    vocab = hub.config.vocab
    for s in sorted(hub.sessions, key=session_sort_key):
        row = {
            "date": s.date.isoformat(), "time": s.time, "lecture": s.lecture,
            "subject": hub.lectures[s.lecture].title if s.lecture else s.title,
            "speakers": "、".join(hub.speakers[i].name for i in s.speakers), "classroom_group": vocab.classroom_group(s.classroom),
            "classroom": s.classroom, "town": s.town, "venue": s.venue, "mode": s.mode,
            "audience": "" if s.audience is None else s.audience,
            "online_viewers": "" if s.online_viewers is None else s.online_viewers,
            "upcoming": "即将举行" if hub.is_upcoming(s) else "已举行", "note": s.note, "uid": s.uid,
        }
        w.writerow([row[k] for k, _ in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def body_path(lec) -> str:
    """Site path of a lecture's Markdown body in the open data (``api/lectures/<slug>.txt``, plain text so renderers leave it alone)."""
    return f"api/lectures/{lec.slug}.txt"


def _dump(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def build(hub: Hub) -> dict[str, bytes]:
    """Every open-data file: site path → bytes."""
    files: dict[str, bytes] = {}
    for kind in KINDS:
        files[f"api/{kind}.json"] = _dump(document(hub, kind))
        files[f"api/{kind}.schema.json"] = _dump(schema(hub, kind))
    files["api/sessions.csv"] = sessions_csv(hub)
    for lec in hub.lectures.values():
        files[body_path(lec)] = lec.body.strip().encode("utf-8") + b"\n"
    return files


__all__ = ["VERSION", "KINDS", "CSV_COLUMNS", "schema", "records", "document", "sessions_csv", "build"]
