"""The hub model and its loading: files → validated lectures, speakers and sessions.

Validation runs in phases, like MkDocs' config validation: each file and field
first (:mod:`jiangtang.fields`), then the cross-references that need the whole
hub (ids, slugs, speaker and lecture references, links, attachments), then the
warnings. Every problem lands in one :class:`~jiangtang.diagnostics.Report`.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import cache
from . import lecture as lecture_mod
from . import permalinks, privacy, sanitize
from . import session as session_mod
from . import speaker as speaker_mod
from .config import HubConfig, load_config, shown_path
from .diagnostics import Report
from .fields import validate_mapping
from .links import find_links
from .mdtext import heading_ids
from .lecture import Lecture
from .session import Session
from .slugs import anchor_id, heading_slugify, id_key, name_slug, slugify, text_pinyin
from .source import parse_yaml, read_text, split_front_matter
from .speaker import Speaker

log = logging.getLogger(__name__)

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Hub:
    """A loaded hub.

    Attributes:
        config: the hub configuration.
        lectures: id → lecture, in file order.
        speakers: id → speaker, in file order.
        sessions: every session record, in file order.
        today: the build date ("upcoming" is relative to it).
        files: site path → source file for files copied into the site
            (photos, attachments, images), filled during the cross-checks.
    """

    config: HubConfig
    lectures: dict[str, Lecture] = field(default_factory=dict)
    speakers: dict[str, Speaker] = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    files: dict[str, Path] = field(default_factory=dict)
    #: id keys of files that exist but did not load (their own errors are reported; references to them are not)
    unloaded: dict[str, set] = field(default_factory=lambda: {"lecture": set(), "speaker": set()})

    def sessions_of_lecture(self, lecture_id: str) -> list[Session]:
        """Sessions where the lecture was given, newest first."""
        return self._index()[0].get(lecture_id, [])

    def sessions_of_speaker(self, speaker_id: str) -> list[Session]:
        """Sessions the speaker gave, newest first."""
        return self._index()[1].get(speaker_id, [])

    def lectures_of_speaker(self, speaker_id: str) -> list[Lecture]:
        """Lectures naming the speaker, newest first."""
        return self._index()[2].get(speaker_id, [])

    def _index(self):
        if not hasattr(self, "_idx"):
            by_lecture, by_speaker, lec_by_speaker = defaultdict(list), defaultdict(list), defaultdict(list)
            for s in sorted(self.sessions, key=session_sort_key, reverse=True):
                if s.lecture:
                    by_lecture[s.lecture].append(s)
                for sp in s.speakers:
                    by_speaker[sp].append(s)
            for lec in sorted(self.lectures.values(), key=lecture_sort_key, reverse=True):
                for sp in lec.speakers:
                    lec_by_speaker[sp].append(lec)
            self._idx = (by_lecture, by_speaker, lec_by_speaker)
        return self._idx

    def is_upcoming(self, session: Session) -> bool:
        """True for a session dated after the build date."""
        return session.date > self.today


def lecture_sort_key(lec: Lecture) -> tuple:
    """Sort key for lectures: date, then id (callers reverse for newest first)."""
    return (lec.date, lec.id)


def session_sort_key(s: Session) -> tuple:
    """Sort key for sessions: date, time, then the stable uid."""
    return (s.date, s.time or "", s.uid)


_NEAR_MISS = re.compile(r"\.(md|markdown|mdown|yaml|yml)(\s+|\.txt)?$|\s+$", re.I)  # not .bak: fix-encoding's backups


def _walk(folder: Path, suffixes: tuple[str, ...], report: Report | None = None, root: Path | None = None) -> list[Path]:
    """Content files under ``folder`` with the suffixes, sorted; hidden files and folders skipped.

    With a ``report``, nothing is passed over in silence: an unreadable folder
    or a file name that is not UTF-8 is an error (JT004), a file or folder
    link leading out of ``root`` is an error (JT057), and a file whose name
    looks like content but will not be read (``a.md.txt``, ``a.markdown``,
    ``a.yaml ``) is a warning (JT083).
    """
    if not folder.is_dir():
        return []
    out = []

    def unreadable(exc: OSError) -> None:
        if report is not None:
            report.add(shown_path(Path(exc.filename)), 1, 1, "JT004", f"无法读取文件夹：{exc.strerror or exc}", "检查文件夹权限")

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith("."):
                continue
            if report is not None and not _utf8_name(name):
                report.add(shown_path(path.parent), 1, 1, "JT004", f"文件名“{name.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')}”不是 UTF-8 编码",
                           "用 UTF-8 的文件名重新保存（例如在资源管理器中重命名）")
                continue
            if name.lower().endswith(suffixes) and name == name.rstrip():
                if report is not None and root is not None and not path.resolve().is_relative_to(root):
                    report.add(shown_path(path), 1, 1, "JT057", "这个文件是指向站点目录之外的链接，不会发布", "把文件本身放进站点目录")
                    continue
                out.append(path)
            elif report is not None and _NEAR_MISS.search(name):
                report.add(shown_path(path), 1, 1, "JT083", f"文件“{name}”不会被读取（扩展名应为 {' 或 '.join(suffixes)}）",
                           "改正文件扩展名（注意记事本可能自动加上 .txt，文件名末尾也不能有空格）")
    return out


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as surrogate escapes (PEP 383)
        return False
    return True


def load_hub(config_path: str | Path, today: dt.date | None = None) -> tuple[Hub | None, Report]:
    """Load and validate a whole hub.

    Args:
        config_path: the hub's ``mkdocs.yml``.
        today: the build date (default: ``SOURCE_DATE_EPOCH`` if set, else today).

    Returns:
        ``(hub, report)``; ``hub`` is ``None`` only when the config cannot be
        read. Callers must check ``report.failed()`` before publishing.
    """
    was_enabled = gc.isenabled()
    gc.disable()  # loading makes millions of acyclic objects that all stay alive: full collections only cost time
    try:
        return _load_hub(config_path, today)
    finally:
        if was_enabled:
            gc.enable()


def _load_hub(config_path: str | Path, today: dt.date | None) -> tuple[Hub | None, Report]:
    report = Report()
    config = load_config(config_path, report)
    if config is None:
        return None, report
    privacy.scan_config(config, report)
    hub = Hub(config=config, today=today or build_date())
    memo = cache.memo_for(Path(config_path))  # per-file results by content hash (jiangtang.cache)

    def load(kind, path, fn):
        if memo is None:
            return fn(path, config, report)
        return memo.file_call(kind, path, report, lambda sub: fn(path, config, sub))

    root = config.root.resolve()
    for kind, folder, suffixes, fn, target, what in (
            ("lecture", "lectures", (".md",), load_lecture, hub.lectures, "讲稿"),
            ("speaker", "speakers", YAML_SUFFIXES, _load_speaker, hub.speakers, "宣讲员")):
        for path in _walk(config.folder(folder), suffixes, report, root):
            item = load(kind, path, fn)
            if item is not None:
                _add_unique(target, item, what, report)
            else:
                hub.unloaded[kind].add(id_key(path.stem))
    for path in _walk(config.folder("sessions"), YAML_SUFFIXES, report, root):
        hub.sessions.extend(load("sessions", path, _load_sessions))
    _id_keys.clear()
    for path in _walk(config.docs_dir, (".md",), report, root):
        _check_doc_page(path, report)
    _cross_check(hub, report)
    permalinks.check(hub, report)
    return hub, report


def build_date() -> dt.date:
    """The build date: ``SOURCE_DATE_EPOCH`` (reproducible-builds.org spec) in
    Asia/Shanghai (UTC+8) when set, else today's local date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) + dt.timedelta(hours=8)).date()
    return dt.date.today()


_id_keys: dict[int, dict[str, object]] = {}  # id(target dict) → id_key → item: linear, not quadratic


def _add_unique(target: dict, item, what: str, report: Report) -> None:
    keys = _id_keys.get(id(target))
    if keys is None or len(keys) != len(target):
        keys = _id_keys[id(target)] = {id_key(o.id): o for o in target.values()}
    key = id_key(item.id)
    other = keys.get(key)
    if other is not None:
        report.add(item.shown, 1, 1, "JT052", f"{what}编号“{item.id}”与 {other.shown} 重复", "给其中一个文件改名")
        return
    target[item.id] = item
    keys[key] = item


def _lines(values_node) -> dict[str, int]:
    return {k: pos[0] for k, pos in values_node.keys.items()} if values_node is not None else {}


def _read_published(path: Path, report: Report) -> tuple[str, object]:
    """``(shown path, decoded text or None)`` of a content file, scanned for personal numbers."""
    shown = shown_path(path)
    text = read_text(path, shown, report)
    if text.text is not None:
        privacy.scan(text.text, shown, report)
    return shown, text.text


def load_lecture(path: Path, config: HubConfig, report: Report) -> Lecture | None:
    """One lecture file, parsed and validated on its own (cross-checks: :func:`check_lecture`).

    Returns:
        The :class:`Lecture`, or ``None`` when the file has errors (reported to ``report`` with file:line).
    """
    shown, text = _read_published(path, report)
    if text is None:
        return None
    doc = split_front_matter(text, shown, report, lecture_mod.LIST_KEYS)
    sanitize.check_body(doc.body, shown, report, line_offset=doc.body_line - 1)
    values = validate_mapping(doc.meta, lecture_mod.FIELDS, shown, report, config.vocab, "讲稿")
    if values is None:
        return None
    lid = path.stem
    slug = values.get("slug") or slugify(lid)
    if not slug:
        report.add(shown, 1, 1, "JT036", f"无法从文件名“{lid}”生成页面地址", "添加 slug: 字段，例如 slug: my-lecture")
        return None
    fields = {k: v for k, v in values.items() if not k.startswith("_") and k != "slug"}
    return Lecture(id=lid, path=path, shown=shown, slug=slug, body=doc.body, body_line=doc.body_line,
                   lines=_lines(doc.meta), **fields)


def _load_speaker(path: Path, config: HubConfig, report: Report) -> Speaker | None:
    shown, text = _read_published(path, report)
    if text is None:
        return None
    node = parse_yaml(text, shown, report, list_keys=speaker_mod.LIST_KEYS)
    if node is not None and isinstance(node.value, dict) and "bio" in node.value:
        _check_bio(node.value["bio"], shown, report)
    if node is None:
        if text.strip() and not any(d.path == shown for d in report.items):
            report.add(shown, 1, 1, "JT003", "文件里只有注释，没有内容")
        return None
    values = validate_mapping(node, speaker_mod.FIELDS, shown, report, config.vocab, "宣讲员")
    if values is None:
        return None
    sid = path.stem
    slug = speaker_mod.speaker_slug(sid, values["name"], values.get("pinyin", ""), values.get("slug", ""))
    if not slug:
        report.add(shown, 1, 1, "JT036", f"无法从文件名“{sid}”生成页面地址", "添加 slug: 字段")
        return None
    fields = {k: v for k, v in values.items() if not k.startswith("_") and k != "slug"}
    return Speaker(id=sid, path=path, shown=shown, slug=slug, lines=_lines(node), **fields)


def _check_bio(bio, shown: str, report: Report) -> None:
    """Sanitiser checks on a speaker's Markdown ``bio`` (a block scalar starts on the next line)."""
    if isinstance(bio.value, str):
        block = bio.value.endswith("\n")  # literal or folded block: text starts on the next line
        sanitize.check_body(bio.value, shown, report, line_offset=bio.line if block else bio.line - 1,
                            col_offset=2 if block else bio.col - 1)


def _check_doc_page(path: Path, report: Report) -> None:
    """Hand-written pages in ``docs/`` are published too: personal data and raw HTML checks."""
    shown, text = _read_published(path, report)
    if text is None:
        return
    body, body_line = text, 1
    if text.startswith("---\n"):  # MkDocs would drop a broken front matter silently; we report it
        doc = split_front_matter(text, shown, report)
        body, body_line = doc.body, doc.body_line
    sanitize.check_body(body, shown, report, line_offset=body_line - 1)


def _is_han_name(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _load_sessions(path: Path, config: HubConfig, report: Report) -> list[Session]:
    shown, text = _read_published(path, report)
    if text is None:
        return []
    node = parse_yaml(text, shown, report, list_keys=session_mod.LIST_KEYS)
    if node is None:
        return []
    if not isinstance(node.value, list):
        report.add(shown, node.line, node.col, "JT023", "宣讲记录文件应是列表，每条记录以“- ”开头")
        return []
    out = []
    for item in node.value:
        values = validate_mapping(item, session_mod.FIELDS, shown, report, config.vocab, "宣讲记录",
                                  check=lambda v, n, r: session_mod.check_record(v, n, r, shown))
        if values is None:
            continue
        fields = {k: session_mod.shared(v) for k, v in values.items() if not k.startswith("_") and k not in _UNSHARED}
        fields["speakers"] = [session_mod.shared(i) for i in values["speakers"]]
        fields.update((k, values[k]) for k in _UNSHARED if k in values)
        out.append(Session(path=path, shown=shown, line=item.line, layout=session_mod.line_layout(item.line, item.keys), **fields))
    return out


#: Session fields whose values seldom repeat: not worth sharing.
_UNSHARED = ("venue", "note", "title")


# --- phase 2: cross-references --------------------------------------------

def _closest_id(wanted: str, ids: list[str]) -> str:
    """The id closest to ``wanted``, by text or by pinyin (``shanli`` → ``单丽``)."""
    import difflib

    if not ids:
        return ""
    close = difflib.get_close_matches(wanted, ids, n=1, cutoff=0.5)
    if close:
        return close[0]
    key = "".join(text_pinyin(wanted))
    by_py = {"".join(text_pinyin(i)): i for i in ids}
    by_py.update({"".join(p[0] for p in text_pinyin(i) if p): i for i in ids if _is_han_name(i)})
    close = difflib.get_close_matches(key, list(by_py), n=1, cutoff=0.7)
    return by_py[close[0]] if close else ""


def closest_id(wanted: str, ids: list[str]) -> str:
    """The id in ``ids`` closest to ``wanted`` by text or by pinyin (``shanli`` → ``单丽``); ``""`` if none is close."""
    return _closest_id(wanted, ids)


def _ref_hint(wanted: str, ids: list[str], folder: str) -> str:
    best = _closest_id(wanted, ids)
    return f"是不是“{best}”？" if best else f"填写 {folder}/ 下的文件名（不含扩展名）"


def _resolve_speakers(hub: Hub, item, speaker_ids: dict[str, str], shown: str, line: int, report: Report) -> None:
    """Replace ``item.speakers`` by the ids they mean (case and width folded, :func:`id_key`); JT050 for unknown ones."""
    out = []
    for sid in item.speakers:
        real = speaker_ids.get(id_key(sid))
        if real is None and id_key(sid) in hub.unloaded["speaker"]:
            continue  # the speaker's file exists but has errors of its own, reported there
        if real is None:
            report.add(shown, line, 1, "JT050", f"找不到宣讲员“{sid}”（speakers/ 下没有这个文件）",
                       _ref_hint(sid, list(hub.speakers), "speakers"))
        else:
            out.append(real)
    item.speakers = out


def check_lecture(hub: Hub, lec: Lecture, report: Report, speaker_ids: dict[str, str] | None = None) -> None:
    """The cross-checks of one lecture against the rest of the hub: its speakers (JT050), attachments and
    body links (JT054–JT057, JT067). Resolves ``lec.speakers`` and fills ``lec.link_targets`` in place.

    Args:
        hub: the loaded hub.
        lec: a lecture of ``hub`` or a new version of one (``build.py serve`` re-checks a saved file alone).
        report: receives the diagnostics.
        speaker_ids: :func:`id_key` → speaker id, when the caller already has it.
    """
    if speaker_ids is None:
        speaker_ids = {id_key(i): i for i in hub.speakers}
    _resolve_speakers(hub, lec, speaker_ids, lec.shown, lec.lines.get("speakers", 1), report)
    _check_attachments(hub, lec, report)
    _check_body_links(hub, lec, report)


def _cross_check(hub: Hub, report: Report) -> None:
    speaker_ids = {id_key(i): i for i in hub.speakers}
    lecture_ids = {id_key(i): i for i in hub.lectures}
    _check_slugs(list(hub.lectures.values()), "讲稿", report)
    _check_slugs(list(hub.speakers.values()), "宣讲员", report)
    for lec in hub.lectures.values():
        check_lecture(hub, lec, report, speaker_ids)
    for s in hub.sessions:
        _resolve_speakers(hub, s, speaker_ids, s.shown, s.lines.get("speakers", s.line), report)
        if s.lecture:
            real = lecture_ids.get(id_key(s.lecture))
            if real is None and id_key(s.lecture) in hub.unloaded["lecture"]:
                pass  # the lecture's file exists but has errors of its own, reported there
            elif real is None:
                report.add(s.shown, s.lines.get("lecture", s.line), 1, "JT051", f"找不到讲稿“{s.lecture}”（lectures/ 下没有这个文件）",
                           _ref_hint(s.lecture, list(hub.lectures), "lectures"))
            else:
                s.lecture = real
        if hub.is_upcoming(s) and s.audience:
            report.add(s.shown, s.lines.get("audience", s.line), 1, "JT082",
                       f"{s.date.isoformat()} 的宣讲尚未举行，却填写了听众人数 {s.audience}")
    for sp in hub.speakers.values():
        if sp.photo:
            sp.photo_site_path = _check_file(hub, sp.path, sp.photo, sp.shown, sp.lines.get("photo", 1), 1, "照片", report)
    given = {s.lecture for s in hub.sessions if s.lecture}
    for lec in hub.lectures.values():
        if lec.id not in given:
            report.add(lec.shown, 1, 1, "JT081", f"讲稿“{lec.title}”还没有宣讲记录")
    active = {sid for s in hub.sessions for sid in s.speakers} | {sid for lec in hub.lectures.values() for sid in lec.speakers}
    for sp in hub.speakers.values():
        if sp.id not in active:
            report.add(sp.shown, 1, 1, "JT080", f"宣讲员“{sp.name}”没有讲稿，也没有宣讲记录")


#: Longest slug accepted: file names beyond 255 bytes fail on common file systems.
MAX_SLUG = 80


def _check_slugs(items: list, what: str, report: Report) -> None:
    seen: dict[str, object] = {}
    for item in items:
        if len(item.slug) > MAX_SLUG:
            report.add(item.shown, 1, 1, "JT036", f"{what}页面地址“{item.slug[:40]}…”有 {len(item.slug)} 个字符，超过 {MAX_SLUG}",
                       "文件名短一些，或加 slug: 字段指定一个短地址")
            continue
        other = seen.get(item.slug)
        if other is not None:
            report.add(item.shown, 1, 1, "JT053", f"{what}页面地址“{item.slug}”与 {other.shown} 相同",
                       "在其中一个文件里加 slug: 字段指定别的地址")
        else:
            seen[item.slug] = item


def site_file_path(hub: Hub, source: Path) -> str:
    """Site path for a file copied from the hub: ``files/<ascii path>``.

    The path keeps the hub-relative folders, romanised, so output paths are
    ASCII (``lectures/2022/提纲.txt`` → ``files/lectures/2022/ti-gang.txt``).
    """
    rel = source.resolve().relative_to(hub.config.root)
    parts = [slugify(p) or "file" for p in rel.parent.parts]
    stem = slugify(rel.stem) or "file"
    return "/".join(["files", *parts, stem + rel.suffix.lower()])


def _check_file(hub: Hub, base: Path, target: str, shown: str, line: int, col: int, what: str, report: Report,
                code_missing: str = "JT056") -> str | None:
    """Resolve a file reference relative to ``base``'s folder; register it for copying.

    Returns the site path, or ``None`` after reporting JT056/JT055 (missing) or JT057 (outside the hub).
    """
    candidate = (base.parent / target).resolve()
    try:
        rel = candidate.relative_to(hub.config.root)
    except ValueError:
        report.add(shown, line, col, "JT057", f"{what}“{target}”在站点目录之外")
        return None
    if any(part.startswith(".") for part in rel.parts):
        report.add(shown, line, col, "JT057", f"{what}“{target}”在隐藏文件夹里或是隐藏文件，不能发布", "隐藏文件（如 .git、.env）可能含有密码等信息")
        return None
    if candidate == hub.config.path or candidate.suffix.lower() in YAML_SUFFIXES:
        report.add(shown, line, col, "JT057", f"{what}“{target}”是站点的配置或数据文件，不能作为文件发布",
                   "要链接宣讲员，请链接 speakers/ 下的文件（会变成宣讲员页面）；其他数据请通过开放数据 api/ 获取")
        return None
    if not candidate.is_file():
        report.add(shown, line, col, code_missing, f"{what}“{target}”不存在" + ("（这是一个文件夹）" if candidate.is_dir() else ""))
        return None
    site_path = site_file_path(hub, candidate)
    hub.files[site_path] = candidate
    return site_path


def _check_attachments(hub: Hub, lec: Lecture, report: Report) -> None:
    for att in lec.attachments:
        if "file" in att:
            att["site_path"] = _check_file(hub, lec.path, att["file"], lec.shown, att["line"], att["col"], "附件", report)


def speaker_by_path(hub: Hub) -> dict[Path, Speaker]:
    """Resolved speaker file path → speaker (computed once per hub)."""
    if not hasattr(hub, "_speaker_by_path"):
        hub._speaker_by_path = {sp.path.resolve(): sp for sp in hub.speakers.values()}
    return hub._speaker_by_path


def lecture_by_path(hub: Hub) -> dict[Path, Lecture]:
    """Resolved lecture file path → lecture."""
    if not hasattr(hub, "_by_path"):
        hub._by_path = {lec.path.resolve(): lec for lec in hub.lectures.values()}
    return hub._by_path


_GENERATED_LECTURE_SECTIONS = ("附件", "宣讲记录", "相关讲稿")


def _check_body_links(hub: Hub, lec: Lecture, report: Report) -> None:
    """Resolve each link/image of a lecture body (JT054/JT055/JT057/JT067).

    Fills ``lec.link_targets``: (start, end) of the target in the body →
    ``(kind, ref, anchor)`` with kind ``"lecture"`` (ref: id), ``"speaker"``
    (ref: id), ``"doc"``/``"file"`` (ref: site path) or ``"self"`` (same page),
    and ``anchor`` already converted to the heading id it means.
    """
    lec.link_targets = {}
    by_path = lecture_by_path(hub)
    speakers_by_path = speaker_by_path(hub)
    for link in find_links(lec.body):
        line = lec.body_line + link.line - 1
        if link.image and not link.is_relative and re.match(r"^(https?:)?//", link.target, re.I):
            report.add(lec.shown, line, link.col, "JT067", f"图片“{link.target}”在其他网站上，打开页面时会向该网站发请求")
            continue
        if link.target.startswith("#") and len(link.target) > 1:
            anchor = anchor_id(link.target[1:])
            if anchor not in _lecture_ids(lec):
                report.add(lec.shown, line, link.col, "JT054", f"本页没有“{link.target[1:]}”这个标题", "锚点要与本页某个标题的文字一致")
            elif anchor != link.target[1:]:
                lec.link_targets[(link.start, link.end)] = ("self", "", anchor)
            continue
        if not link.is_relative:
            continue
        path, frag = link.split()
        if not path:
            continue
        anchor = anchor_id(frag) if frag else ""
        target = (lec.path.parent / path).resolve()
        if path.lower().endswith(".md") and not link.image:
            if target in by_path:
                other = by_path[target]
                if anchor and anchor not in _lecture_ids(other):
                    report.add(lec.shown, line, link.col, "JT054", f"讲稿“{other.title}”中没有“{frag}”这个标题", "锚点要与目标讲稿某个标题的文字一致")
                    continue
                lec.link_targets[(link.start, link.end)] = ("lecture", other.id, anchor)
                continue
            docs = hub.config.docs_dir
            if target.is_file() and target.is_relative_to(docs):
                lec.link_targets[(link.start, link.end)] = ("doc", target.relative_to(docs).as_posix(), anchor)
                continue
            report.add(lec.shown, line, link.col, "JT054", f"链接“{link.target}”指向的文件不存在",
                       _link_hint(hub, path))
            continue
        if target in speakers_by_path and not link.image:
            lec.link_targets[(link.start, link.end)] = ("speaker", speakers_by_path[target].id, anchor)
            continue
        site_path = _check_file(hub, lec.path, path, lec.shown, line, link.col, "图片" if link.image else "链接文件",
                                report, "JT055" if link.image else "JT054")
        if site_path:
            lec.link_targets[(link.start, link.end)] = ("file", site_path, frag)


def _lecture_ids(lec: Lecture) -> set[str]:
    """Heading ids on a lecture's page: its title, its body's headings, the generated sections."""
    if lec.heading_ids is None:
        lec.heading_ids = heading_ids(lec.body, (lec.title,)) | {heading_slugify(h) for h in _GENERATED_LECTURE_SECTIONS}
    return lec.heading_ids


def _link_hint(hub: Hub, path: str) -> str:
    stem = Path(path).stem
    best = _closest_id(stem, list(hub.lectures))
    if best:
        return f"是不是讲稿“{best}”（{hub.lectures[best].shown}）？链接路径相对于当前文件"
    return "链接路径相对于当前文件，例如 ../2022/other.md"
