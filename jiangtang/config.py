"""The hub's configuration: the ``jiangtang`` block of ``mkdocs.yml`` and the vocabularies.

Read without MkDocs (the core never imports it). Defaults follow content
contract v1, "Vocabularies". Unknown YAML tags that MkDocs configs use
(``!ENV``, ``!!python/name:…``) are tolerated and read as ``None``/text.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

from .diagnostics import Report
from .source import Node, explain_yaml_error, parse_yaml, read_text

log = logging.getLogger(__name__)

DEFAULT_TEAMS = ("党员干部", "理论专家", "百姓名嘴")
DEFAULT_CLASSROOMS = {
    "网上课堂": ("党员微信群", "学习强国", "云课堂", "融媒平台"),
    "小微课堂": ("情境课堂", "板凳课堂", "庭院课堂", "车间课堂", "船头课堂", "喇叭课堂", "楼宇课堂", "田间课堂", "工地课堂"),
    "实践课堂": ("文明实践", "志愿服务", "政策宣传"),
}
DEFAULT_MODES = ("集中宣讲", "点单式宣讲", "结对联训", "送学上门")


@dataclass(frozen=True)
class Vocabulary:
    """A hub's controlled vocabularies.

    Attributes:
        teams: speaker teams, in display order.
        classrooms: classroom group → kinds, in display order.
        modes: session modes.
        towns: allowed towns; empty means any town is accepted.
    """

    teams: tuple[str, ...] = DEFAULT_TEAMS
    classrooms: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_CLASSROOMS))
    modes: tuple[str, ...] = DEFAULT_MODES
    towns: tuple[str, ...] = ()

    @property
    def classroom_kinds(self) -> tuple[str, ...]:
        """Every classroom kind across groups, in order."""
        return tuple(k for kinds in self.classrooms.values() for k in kinds)

    def classroom_group(self, kind: str) -> str:
        """The group (``网上课堂`` …) a classroom kind belongs to; ``""`` if none."""
        for group, kinds in self.classrooms.items():
            if kind in kinds:
                return group
        return ""


@dataclass(frozen=True)
class HubConfig:
    """What the core needs from ``mkdocs.yml``.

    Attributes:
        path: the config file.
        root: the hub folder (the config file's folder).
        docs_dir: the hand-written pages folder.
        site_name: site title.
        site_url: public URL ending in ``/``, or ``""``.
        use_directory_urls: MkDocs' URL style (``a/`` vs ``a.html``).
        vocab: the vocabularies.
        options: the whole ``jiangtang`` plugin block (for later features).
    """

    path: Path
    root: Path
    docs_dir: Path
    site_name: str = "理论学习内容中心"
    site_url: str = ""
    use_directory_urls: bool = True
    vocab: Vocabulary = field(default_factory=Vocabulary)
    options: dict = field(default_factory=dict)

    def folder(self, name: str) -> Path:
        """A content folder (``lectures``, ``speakers``, ``sessions``) of the hub."""
        return self.root / name


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' extra tags instead of failing on them."""


def _unknown_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


_TolerantLoader.add_constructor("!ENV", construct_env_tag)  # MkDocs' !ENV [VAR, default] (pyyaml_env_tag)
_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)

_VOCAB_KEYS = ("teams", "classrooms", "modes", "towns")
#: Every option of the ``jiangtang`` plugin block; the MkDocs plugin's config class
#: declares the same names (a test keeps the two equal).
PLUGIN_OPTIONS = (*_VOCAB_KEYS, "contact", "strict")


def _plugin_block(raw: dict) -> dict | None:
    """The ``jiangtang`` entry of ``plugins`` (list or mapping form), ``{}`` when bare, None when absent."""
    plugins = raw.get("plugins") or []
    if isinstance(plugins, dict):
        items = plugins.items()
    else:
        items = [(p, None) if isinstance(p, str) else next(iter(p.items())) for p in plugins if isinstance(p, (str, dict)) and p]
    for name, opts in items:
        if name == "jiangtang":
            return opts or {}
    return None


def load_config(path: str | Path, report: Report) -> HubConfig | None:
    """Read a hub's ``mkdocs.yml``.

    Args:
        path: the config file (``-f``), relative or absolute.
        report: receives JT001–JT010 for an unreadable file and JT070 for a
            malformed ``jiangtang`` block.

    Returns:
        The :class:`HubConfig`, or ``None`` when the file cannot be read.
    """
    path = Path(path).resolve()
    shown = _shown(path)
    text = read_text(path, shown, report)
    if text.text is None:
        return None
    try:
        raw = yaml.load(text.text, Loader=_TolerantLoader) or {}
    except yaml.MarkedYAMLError as exc:
        line, col, message = explain_yaml_error(exc, text.text)
        report.add(shown, line, col, "JT010", f"mkdocs.yml 无法解析：{message}")
        return None
    except yaml.YAMLError as exc:
        report.add(shown, 1, 1, "JT010", f"mkdocs.yml 无法解析：{exc}")
        return None
    if not isinstance(raw, dict):
        report.add(shown, 1, 1, "JT070", "mkdocs.yml 应是“键: 值”的形式")
        return None
    block = _plugin_block(raw)
    if block is None:
        block = {}
    _check_located(text.text, shown, report)
    vocab = _vocabulary(block, text.text, shown, report)
    site_url = str(raw.get("site_url") or "")
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    root = path.parent
    return HubConfig(
        path=path, root=root, docs_dir=(root / str(raw.get("docs_dir") or "docs")).resolve(),
        site_name=str(raw.get("site_name") or "理论学习内容中心"), site_url=site_url,
        use_directory_urls=bool(raw.get("use_directory_urls", True)), vocab=vocab,
        options=block if isinstance(block, dict) else {},
    )


def _check_located(text: str, shown: str, report: Report) -> None:
    """Checks that need positions: duplicate keys anywhere (JT016), unknown options
    and repeated vocabulary values in the ``jiangtang`` block (JT030, JT070)."""
    root = parse_yaml(text, shown, report)
    if root is None or not isinstance(root.value, dict) or "plugins" not in root.value:
        return
    plugins = root.value["plugins"].value
    entries = plugins if isinstance(plugins, list) else [root.value["plugins"]]
    for entry in entries:
        if not isinstance(entry.value, dict) or "jiangtang" not in entry.value:
            continue
        block = entry.value["jiangtang"]
        if not isinstance(block.value, dict):
            return
        for key, (line, col) in block.keys.items():
            if key not in PLUGIN_OPTIONS:
                close = difflib.get_close_matches(key, PLUGIN_OPTIONS, n=1, cutoff=0.6)
                report.add(shown, line, col, "JT030", f"jiangtang 插件没有 {key} 这个选项",
                           f"是不是 {close[0]}？" if close else "可用选项：" + "、".join(PLUGIN_OPTIONS))
        lists = [block.value[k] for k in ("teams", "modes", "towns") if k in block.value]
        if "classrooms" in block.value and isinstance(block.value["classrooms"].value, dict):
            lists.append(Node([n for g in block.value["classrooms"].value.values() if isinstance(g.value, list) for n in g.value],
                              block.value["classrooms"].line, block.value["classrooms"].col))
        for node in lists:
            seen: set = set()
            if node.tag not in ("seq", "") or not isinstance(node.value, list):
                continue  # e.g. !ENV [VAR, default]: checked after expansion by _vocabulary
            for item in node.value:
                if isinstance(item.value, (list, dict)):
                    continue
                if item.value in seen:
                    report.add(shown, item.line, item.col, "JT070", f"词表中的“{item.value}”重复出现", "每个值只写一次（课堂类型在各分组之间也不能重复）")
                seen.add(item.value)


def _line_of(text: str, key: str) -> int:
    for i, line in enumerate(text.split("\n"), 1):
        if line.strip().startswith(f"{key}:"):
            return i
    return 0


def _vocabulary(block, text: str, shown: str, report: Report) -> Vocabulary:
    if not isinstance(block, dict):
        report.add(shown, _line_of(text, "- jiangtang"), 0, "JT070", "jiangtang 插件的配置应是“键: 值”的形式")
        return Vocabulary()
    kw: dict = {}
    for key in ("teams", "modes", "towns"):
        if key not in block:
            continue
        value = block[key]
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            report.add(shown, _line_of(text, key), 0, "JT070", f"jiangtang 配置中的 {key} 应是文本列表", f"例如 {key}: [甲, 乙]")
            continue
        if key != "towns" and not value:
            report.add(shown, _line_of(text, key), 0, "JT070", f"jiangtang 配置中的 {key} 不能为空列表")
            continue
        kw[key] = tuple(v.strip() for v in value)
    if "classrooms" in block:
        value = block["classrooms"]
        ok = isinstance(value, dict) and value and all(
            isinstance(g, str) and isinstance(ks, list) and ks and all(isinstance(k, str) for k in ks) for g, ks in value.items())
        if ok:
            kw["classrooms"] = {g: tuple(ks) for g, ks in value.items()}
        else:
            report.add(shown, _line_of(text, "classrooms"), 0, "JT070", "classrooms 应是“分组: [课堂类型, …]”的形式", "参见内容约定中的示例")
    return Vocabulary(**kw)


def raw_config(path: Path) -> dict | None:
    """A config file as YAML reads it (MkDocs' tags tolerated, :class:`_TolerantLoader`), or ``None``
    when it cannot be read or is not a mapping. No checks: :func:`load_config` reports problems."""
    try:
        raw = yaml.load(Path(path).read_text("utf-8-sig"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return raw if isinstance(raw, dict) else None


def config_files(config_file: Path) -> list[Path]:
    """``mkdocs.yml`` and the files it inherits from, nearest first (``INHERIT``,
    https://www.mkdocs.org/user-guide/configuration/#configuration-inheritance); stops at a missing
    file, a cycle or 16 levels."""
    files = [Path(config_file)]
    while len(files) < 16:
        raw = raw_config(files[-1])
        parent = raw.get("INHERIT") if raw else None
        if not isinstance(parent, str):
            break
        path = (files[-1].parent / parent).resolve()
        if path in files or not path.is_file():
            break
        files.append(path)
    return files


def referenced_folders(config_file: Path) -> list[Path]:
    """``docs_dir`` and ``theme.custom_dir`` named in ``mkdocs.yml``, resolved against its folder
    (``docs_dir`` defaults to ``docs``); ``[]`` when the file cannot be read. The folders need not exist.

    Used by :mod:`jiangtang.stamp` and :mod:`jiangtang.preview` to find every folder a build reads.
    """
    config_file = Path(config_file)
    raw = raw_config(config_file)
    if raw is None:
        return []
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    values = [raw.get("docs_dir") or "docs", theme.get("custom_dir")]
    return [(config_file.parent / v).resolve() for v in values if isinstance(v, str) and v]


def shown_path(path: Path) -> str:
    """A file's path as printed in messages: relative to the working folder when
    inside it (so CI annotations land on the right file), else absolute; POSIX."""
    try:
        return Path(path).absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return Path(path).absolute().as_posix()


_shown = shown_path


__all__ = ["Vocabulary", "HubConfig", "load_config", "shown_path", "PLUGIN_OPTIONS"]
