"""``build.py new lecture|speaker|session``: write a valid, ready-to-edit content file.

Values come from flags or, for what is missing, from prompts (when a terminal
is attached). Before anything is written the command shows the id, the slug
(the page address) and the path. The file is rendered from the schemas
(:data:`jiangtang.lecture.FIELDS` …): the given fields first, then every other
field as a commented example line, and the result is run through the same
validator as ``check`` before it is written. A file is never overwritten
(``open(…, "x")``) and never written outside the hub (ids and folders are
plain names, no ``..``, no absolute paths); a new id or page address that
collides with an existing one under the contract's id rules (NFC + case
folding, ``.yaml`` and ``.yml`` alike) is refused, naming the existing file.

A session record is appended to the year's sessions file keeping every
existing byte, its line endings (CRLF stays CRLF) and BOM; the file must be
UTF-8 and a block list (``- date: …`` items: no flow list, no ``---``, no
top-level mapping), and the would-be result is re-parsed with the project's
parser before the file is replaced atomically (temporary file + rename, mode kept).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import lecture as lecture_mod
from . import session as session_mod
from . import speaker as speaker_mod
from .config import HubConfig, load_config, shown_path
from .diagnostics import Report
from .fields import Field, validate_mapping
from .slugs import id_key, slugify
from .source import detect_encoding, os_error_zh, parse_yaml, split_front_matter

log = logging.getLogger(__name__)

#: Longest derived lecture id, in characters (cut at a syllable boundary).
MAX_ID_LEN = 40


class ScaffoldError(Exception):
    """A scaffold that cannot be written; the message is Chinese, for the user."""


def yaml_scalar(value) -> str:
    """A value written as YAML flow text: ``2022-05-01``, ``[单丽, 周明]``, ``"19:30"``, ``true``."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        return f'"{value}"'  # HH:MM would be read as a base-60 number by YAML 1.1
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n...\n").strip()


def render_fields(fields: tuple[Field, ...], values: dict, indent: str = "", first: str = "") -> str:
    """YAML lines for ``values`` in schema order, then each other field as a commented example.

    Args:
        fields: the schema.
        values: field name → value (only given fields).
        indent: prefix of every line (``"  "`` inside a list item).
        first: prefix of the first line instead of ``indent`` (``"- "``).
    """
    lines = []
    for f in fields:
        if f.name in values:
            lines.append(f"{f.name}: {yaml_scalar(values[f.name])}")
    for f in fields:
        if f.name not in values and "\n" not in f.example:
            lines.append(f"# {f.name}: {f.example}    # {f.doc}")
    out = [(first if i == 0 and first else indent) + line for i, line in enumerate(lines)]
    return "\n".join(out) + "\n"


@dataclass
class Plan:
    """What ``new`` is about to write.

    Attributes:
        kind: ``"lecture"``, ``"speaker"`` or ``"session"``.
        path: the file.
        text: the text to write (or append).
        id: the new id (empty for sessions).
        slug: the page address's slug (empty for sessions).
        append: True when ``text`` is appended to an existing sessions file.
        content: with ``append``, the whole new file (old bytes + record), ready to write.
    """

    kind: str
    path: Path
    text: str
    id: str = ""
    slug: str = ""
    append: bool = False
    content: bytes = b""


def derive_lecture_id(title: str) -> str:
    """A lecture id from its title: the slug, cut at a syllable boundary to :data:`MAX_ID_LEN`."""
    slug = slugify(title)
    if len(slug) > MAX_ID_LEN:
        slug = slug[:MAX_ID_LEN].rsplit("-", 1)[0]
    return slug


def plan_lecture(config: HubConfig, title: str, speakers: list[str], date: dt.date, lid: str = "",
                 folder: str = "", summary: str = "") -> Plan:
    """Plan a lecture file ``lectures/<year>/<id>.md`` (or ``folder``)."""
    lid = lid or derive_lecture_id(title)
    if not lid:
        raise ScaffoldError("无法从标题生成文件名，请用 --id 指定")
    check_name(lid, "--id")
    for part in Path(folder).parts if folder else ():
        check_name(part, "--folder")
    values = {"title": title, "date": date, "speakers": speakers}
    if summary:
        values["summary"] = summary
    text = "---\n" + render_fields(lecture_mod.FIELDS, values) + "---\n\n# " + title + "\n\n在这里写讲稿正文（Markdown）。\n"
    path = inside(config.folder("lectures") / (folder or str(date.year)) / f"{lid}.md", config.folder("lectures"))
    return Plan("lecture", path, text, lid, slugify(lid))


def plan_speaker(config: HubConfig, name: str, team: str, town: str = "", sid: str = "", pinyin: str = "") -> Plan:
    """Plan a speaker file ``speakers/<id>.yaml`` (the id defaults to the name)."""
    sid = sid or name
    check_name(sid, "--id" if sid != name else "姓名")
    values = {"name": name, "team": team}
    if town:
        values["town"] = town
    if pinyin:
        values["pinyin"] = pinyin
    slug = speaker_mod.speaker_slug(sid, name, pinyin)
    path = inside(config.folder("speakers") / f"{sid}.yaml", config.folder("speakers"))
    return Plan("speaker", path, render_fields(speaker_mod.FIELDS, values), sid, slug)


def plan_session(config: HubConfig, date: dt.date, speakers: list[str], classroom: str, lecture: str = "",
                 title: str = "", town: str = "", venue: str = "", audience: int | None = None,
                 file: str = "") -> Plan:
    """Plan a session record appended to ``sessions/<year>.yaml`` (or ``file``), created when missing."""
    values: dict = {"date": date, "speakers": speakers}
    if lecture:
        values["lecture"] = lecture
    if title:
        values["title"] = title
    values["classroom"] = classroom
    for key, v in (("town", town), ("venue", venue), ("audience", audience)):
        if v not in ("", None):
            values[key] = v
    record = render_fields(session_mod.FIELDS, values, indent="  ", first="- ")
    path = inside(Path(file) if file else config.folder("sessions") / f"{date.year}.yaml", config.root)
    if path.exists() or path.is_symlink():
        return _append_plan(path, record)
    return Plan("session", path, f"# {date.year} 年宣讲记录（每条一场）\n\n" + record)


def _append_plan(path: Path, record: str) -> Plan:
    """Plan appending ``record`` to an existing sessions file, refusing anything that would corrupt it.

    Raises:
        ScaffoldError: the file cannot be read, is not UTF-8, is not a block
            list of records, or would not parse with the record appended.
    """
    shown = shown_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScaffoldError(f"无法读取 {shown}：{os_error_zh(exc, path)}") from None
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        old = data[len(bom):].decode("utf-8")
    except UnicodeDecodeError:
        raise ScaffoldError(f"{shown} 不是 UTF-8 编码（检测结果：{detect_encoding(data)}），追加会把文件变成混合编码；"
                            f"请先运行 python build.py fix-encoding {shown}") from None
    newline = "\r\n" if "\r\n" in old else "\n"
    plain = old.replace("\r\n", "\n")
    content_lines = [(i, ln) for i, ln in enumerate(plain.split("\n"), 1) if ln.strip() and not ln.lstrip().startswith("#")]
    for i, ln in content_lines:
        if ln.rstrip() in ("---", "...") or ln.startswith(("--- ", "... ")):
            raise ScaffoldError(f"{shown} 第 {i} 行是文档分隔符“{ln.strip()}”，无法安全追加；请删除这一行后再试")
    if content_lines and not (content_lines[0][1].startswith("- ") or content_lines[0][1].rstrip() == "-"):
        i, ln = content_lines[0]
        what = ("写成了方括号列表“[…]”" if ln.lstrip().startswith("[") else
                "的记录前面有缩进" if ln.lstrip().startswith("- ") else "不是以“- ”开头的记录列表")
        raise ScaffoldError(f"{shown} 第 {i} 行{what}，无法安全追加；请把每条记录写成“- date: …”的形式后再试")
    before = Report()
    if content_lines and parse_yaml(plain, shown, before) is None or before.errors:
        raise ScaffoldError(f"{shown} 本身有错误，请先修正后再追加：\n{before.render()}")
    sep = "" if not plain or plain.endswith("\n\n") else ("\n" if plain.endswith("\n") else "\n\n")
    result = plain + sep + record
    after = Report()
    node = parse_yaml(result, shown, after)
    count = len(node.value) if node is not None and isinstance(node.value, list) else -1
    expected = (len(parse_yaml(plain, shown, Report()).value) if content_lines else 0) + 1
    if after.errors or count != expected:
        raise ScaffoldError(f"追加后 {shown} 将无法正确解析，未写入（请检查文件末尾的缩进）")
    text = (sep + record).replace("\n", newline)
    return Plan("session", path, text, append=True, content=data + text.encode("utf-8"))


def validate_plan(plan: Plan, config: HubConfig) -> Report:
    """Run the text of ``plan`` through the same checks as ``build.py check`` (fields and vocabularies)."""
    report = Report()
    shown = shown_path(plan.path)
    if plan.kind == "lecture":
        doc = split_front_matter(plan.text, shown, report, lecture_mod.LIST_KEYS)
        validate_mapping(doc.meta, lecture_mod.FIELDS, shown, report, config.vocab, lecture_mod.WHAT)
    elif plan.kind == "speaker":
        node = parse_yaml(plan.text, shown, report, list_keys=speaker_mod.LIST_KEYS)
        validate_mapping(node, speaker_mod.FIELDS, shown, report, config.vocab, speaker_mod.WHAT)
    else:
        node = parse_yaml(plan.text.replace("\r\n", "\n").lstrip("\n"), shown, report, list_keys=session_mod.LIST_KEYS)
        for item in node.value if node is not None and isinstance(node.value, list) else []:
            validate_mapping(item, session_mod.FIELDS, shown, report, config.vocab, session_mod.WHAT,
                             check=lambda v, n, r: session_mod.check_record(v, n, r, shown))
    return report


def write_plan(plan: Plan) -> None:
    """Write (or append) the planned file.

    Raises:
        ScaffoldError: when a new file would replace an existing one.
    """
    shown = shown_path(plan.path)
    try:
        plan.path.parent.mkdir(parents=True, exist_ok=True)
        if plan.append:
            _replace_atomically(plan.path, plan.content)
            return
        with open(plan.path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(plan.text)
    except FileExistsError:
        raise ScaffoldError(f"{shown} 已存在，不会覆盖（换一个 --id，或直接编辑该文件）") from None
    except OSError as exc:
        raise ScaffoldError(f"无法写入 {shown}：{os_error_zh(exc, exc.filename)}") from None


def _replace_atomically(path: Path, content: bytes) -> None:
    """Replace ``path`` by ``content`` through a temporary file and a rename, keeping its mode.

    The file either keeps its old bytes or has all new ones, never a part;
    a symbolic link is followed (its target is replaced).
    """
    target = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        shutil.copymode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_name(name: str, what: str) -> None:
    """Refuse an id or folder name that is not one plain file name.

    Raises:
        ScaffoldError: for ``""``, ``.``/``..``, a name starting with ``.``
            (hidden), containing ``/`` or ``\\``, an absolute path or a control character.
    """
    if (not name or name in (".", "..") or name.startswith(".") or "/" in name or "\\" in name
            or os.path.isabs(name) or any(ord(c) < 32 for c in name)):
        raise ScaffoldError(f"{what}“{name}”不是单纯的名字：不能为空，不能以“.”开头，不能包含“/”“\\”或“..”"
                            "（文件只能建在站点目录里）")


def inside(path: Path, root: Path) -> Path:
    """``path`` when it resolves under ``root``.

    Raises:
        ScaffoldError: when it would be written outside ``root`` (``..``, an
            absolute path, a link leading out).
    """
    resolved, base = path.resolve(), root.resolve()
    if resolved != base and base not in resolved.parents:
        raise ScaffoldError(f"{path} 不在站点目录 {shown_path(root)} 里，拒绝写入")
    return path


def existing_pages(config: HubConfig, kind: str) -> list[tuple[str, str, str]]:
    """Ids and page slugs of the hub's existing lectures or speakers.

    Args:
        config: the hub.
        kind: ``"lecture"`` or ``"speaker"``.

    Returns:
        ``(id, slug, shown path)`` for each file; files that cannot be read
        still give their id (and the slug derived from it).
    """
    from .hub import YAML_SUFFIXES, _walk

    out = []
    if kind == "lecture":
        for p in _walk(config.folder("lectures"), (".md",)):
            slug = ""
            try:
                doc = split_front_matter(p.read_text("utf-8-sig").replace("\r\n", "\n"), "", Report())
                node = doc.meta.value.get("slug") if doc.meta is not None and isinstance(doc.meta.value, dict) else None
                slug = str(node.value) if node is not None and node.value else ""
            except (OSError, UnicodeDecodeError):
                pass
            out.append((p.stem, slug or slugify(p.stem), shown_path(p)))
        return out
    for p in _walk(config.folder("speakers"), YAML_SUFFIXES):
        fields = {}
        try:
            node = parse_yaml(p.read_text("utf-8-sig").replace("\r\n", "\n"), "", Report())
            if node is not None and isinstance(node.value, dict):
                fields = {k: str(v.value) for k, v in node.value.items() if k in ("name", "pinyin", "slug") and v.value}
        except (OSError, UnicodeDecodeError):
            pass
        slug = speaker_mod.speaker_slug(p.stem, fields.get("name", p.stem), fields.get("pinyin", ""), fields.get("slug", ""))
        out.append((p.stem, slug, shown_path(p)))
    return out


def check_collisions(plan: Plan, config: HubConfig) -> None:
    """Refuse a new lecture or speaker whose id or page address is already taken.

    Ids are compared as the content contract does (NFC + case folding; a
    speaker's ``.yaml`` and ``.yml`` are the same id); page addresses (slugs)
    are compared exactly.

    Raises:
        ScaffoldError: naming the existing file.
    """
    if plan.kind == "session":
        return
    key = id_key(plan.id)
    for eid, slug, shown in existing_pages(config, plan.kind):
        if id_key(eid) == key:
            raise ScaffoldError(f"编号“{plan.id}”与已有的 {shown} 相同（编号不区分大小写），换一个 --id")
        if slug and slug == plan.slug:
            raise ScaffoldError(f"页面地址 {plan.kind}s/{plan.slug}/ 已被 {shown} 使用；换一个 --id"
                                + ("（或用 --pinyin 区分读音）" if plan.kind == "speaker" else ""))


# --- command line -------------------------------------------------------------

def add_parser(sub, common) -> None:
    """Register ``new lecture|speaker|session`` on an argparse subparsers object.

    Args:
        sub: the subparsers object.
        common: adds ``-f``/``--strict`` to a parser (shared with the other commands).
    """
    p = sub.add_parser("new", help="新建讲稿、宣讲员或宣讲记录文件（不会覆盖已有文件）")
    kinds = p.add_subparsers(dest="kind", metavar="类型", required=True)
    lec = common(kinds.add_parser("lecture", help="新建讲稿"))
    lec.add_argument("--title", help="讲稿标题")
    lec.add_argument("--speaker", action="append", dest="speakers", metavar="编号", help="宣讲员编号（可多次使用）")
    lec.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）")
    lec.add_argument("--id", default="", help="文件名（默认由标题生成拼音）")
    lec.add_argument("--folder", default="", help="lectures/ 下的子目录（默认为年份）")
    lec.add_argument("--summary", default="", help="一句话摘要")
    sp = common(kinds.add_parser("speaker", help="新建宣讲员"))
    sp.add_argument("--name", help="姓名")
    sp.add_argument("--team", help="所属宣讲队伍")
    sp.add_argument("--town", default="", help="所在镇（街道）")
    sp.add_argument("--id", default="", help="文件名（默认为姓名）")
    sp.add_argument("--pinyin", default="", help="姓名读音，例如 shan li")
    se = common(kinds.add_parser("session", help="新增一条宣讲记录（追加到 sessions/年份.yaml）"))
    se.add_argument("--date", help="日期 YYYY-MM-DD")
    se.add_argument("--speaker", action="append", dest="speakers", metavar="编号", help="宣讲员编号（可多次使用）")
    se.add_argument("--lecture", default="", help="讲稿编号（与 --title 二选一）")
    se.add_argument("--title", default="", help="宣讲主题（没有讲稿时）")
    se.add_argument("--classroom", help="课堂类型")
    se.add_argument("--town", default="", help="所到镇（街道）")
    se.add_argument("--venue", default="", help="地点")
    se.add_argument("--audience", type=int, default=None, help="现场听众人数")
    se.add_argument("--file", default="", help="追加到哪个文件（默认 sessions/年份.yaml）")
    for q in (lec, sp, se):
        q.add_argument("-y", "--yes", action="store_true", help="不再确认，直接写入")
        q.set_defaults(func=run)


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(label: str, current, choices: tuple[str, ...] = (), required: bool = True):
    """The flag's value, else a prompt's answer (only with a terminal)."""
    if current not in (None, "", []):
        return current
    if not _interactive():
        if required:
            raise ScaffoldError(f"缺少{label}（用参数给出，或在终端里运行以逐项输入）")
        return current
    hint = f"（可选：{'、'.join(choices)}）" if choices else ""
    answer = input(f"{label}{hint}：").strip()
    if required and not answer:
        raise ScaffoldError(f"{label}不能为空")
    return answer


def _date(text: str | None, label: str = "日期") -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip()) if text else dt.date.today()
    except ValueError:
        raise ScaffoldError(f"{label}“{text}”不是 YYYY-MM-DD 格式，例如 2022-05-01") from None


def _list(value) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
    return list(value or [])


def _check_refs(config: HubConfig, speakers: list[str], lecture: str = "") -> None:
    """Refuse unknown speaker or lecture ids, suggesting the closest one."""
    from .hub import YAML_SUFFIXES, _walk, closest_id

    known = [p.stem for p in _walk(config.folder("speakers"), YAML_SUFFIXES)]
    for sid in speakers:
        if sid not in known:
            best = closest_id(sid, known)
            raise ScaffoldError(f"找不到宣讲员“{sid}”" + (f"，是不是“{best}”？" if best else "（先用 new speaker 新建）"))
    if lecture:
        lectures = [p.stem for p in _walk(config.folder("lectures"), (".md",))]
        if lecture not in lectures:
            best = closest_id(lecture, lectures)
            raise ScaffoldError(f"找不到讲稿“{lecture}”" + (f"，是不是“{best}”？" if best else ""))


def make_plan(args, config: HubConfig) -> Plan:
    """Turn parsed ``new`` arguments (plus prompts) into a :class:`Plan`."""
    vocab = config.vocab
    if args.kind == "lecture":
        title = _ask("标题", args.title)
        speakers = _list(_ask("宣讲员编号（多个用逗号分隔）", args.speakers))
        _check_refs(config, speakers)
        return plan_lecture(config, title, speakers, _date(args.date), args.id, args.folder, args.summary)
    if args.kind == "speaker":
        name = _ask("姓名", args.name)
        team = _ask("宣讲队伍", args.team, vocab.teams)
        town = _ask("所在镇（街道，可留空）", args.town, vocab.towns, required=False)
        return plan_speaker(config, name, team, town, args.id, args.pinyin)
    date = _date(_ask("日期（YYYY-MM-DD）", args.date))
    speakers = _list(_ask("宣讲员编号（多个用逗号分隔）", args.speakers))
    lecture, title = args.lecture, args.title
    if not lecture and not title:
        lecture = _ask("讲稿编号（没有讲稿请留空）", lecture, required=False)
        if not lecture:
            title = _ask("宣讲主题", title)
    classroom = _ask("课堂类型", args.classroom, vocab.classroom_kinds)
    _check_refs(config, speakers, lecture)
    return plan_session(config, date, speakers, classroom, lecture, title, args.town, args.venue, args.audience, args.file)


def run(args) -> int:
    """Run ``new``: plan, show id/slug/path, validate, confirm, write. Exit 0 written, 1 refused."""
    report = Report()
    config = load_config(args.config_file, report)
    if config is None:
        print(report.render(), file=sys.stderr)
        return 1
    try:
        plan = make_plan(args, config)
        where = shown_path(plan.path)
        if plan.kind == "session":
            print(f"将{'追加到' if plan.append else '新建'} {where}：", file=sys.stderr)
        else:
            print(f"编号：{plan.id}\n页面地址：{plan.kind}s/{plan.slug}/\n文件：{where}", file=sys.stderr)
        if not plan.append and (plan.path.exists() or plan.path.is_symlink()):
            raise ScaffoldError(f"{where} 已存在，不会覆盖（换一个 --id，或直接编辑该文件）")
        check_collisions(plan, config)
        problems = validate_plan(plan, config)
        if problems.errors:
            print(problems.render(), file=sys.stderr)
            raise ScaffoldError("生成的内容没有通过检查，未写入")
        print(plan.text, file=sys.stderr)
        if _interactive() and not args.yes:
            if input("确认写入？[Y/n] ").strip().lower() not in ("", "y", "yes", "是"):
                print("已取消，未写入。", file=sys.stderr)
                return 1
        write_plan(plan)
    except ScaffoldError as exc:
        print(f"未写入：{exc}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\n已取消，未写入。", file=sys.stderr)
        return 1
    print(f"已写入 {where}，请用编辑器补充内容后运行 python build.py check", file=sys.stderr)
    return 0


__all__ = ["Plan", "ScaffoldError", "plan_lecture", "plan_speaker", "plan_session", "validate_plan", "write_plan",
           "yaml_scalar", "render_fields", "add_parser", "run"]
