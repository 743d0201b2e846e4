"""Files derived from the schemas and the code catalogue, and the check that they are current.

From :data:`jiangtang.lecture.FIELDS`, :data:`jiangtang.speaker.FIELDS`,
:data:`jiangtang.session.FIELDS` and :data:`jiangtang.diagnostics.CODES` we
generate:

* ``schemas/{lecture,speaker,session}.schema.json``: JSON Schema (draft
  2020-12, https://json-schema.org/draft/2020-12/schema) for editors; VS Code's
  YAML extension maps them via ``.vscode/settings.json`` (``yaml.schemas``);
* ``docs/reference.md`` (投稿参考): field tables, complete examples and every
  error code with an example and its fix;
* the generated section of ``docs/contribute.md`` between
  :data:`BEGIN` and :data:`END` marker comments (the prose around it is hand-written).

Run ``python -m jiangtang.schema`` (or ``make derived``) to regenerate;
``--check`` exits 1 and names the stale files without writing.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import lecture as lecture_mod
from . import session as session_mod
from . import speaker as speaker_mod
from .config import Vocabulary, load_config
from .diagnostics import CODES, ERROR, Report
from .fields import Field

log = logging.getLogger(__name__)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
BEGIN = "<!-- jiangtang:generated:begin（以下由 python -m jiangtang.schema 生成，请勿手改） -->"
END = "<!-- jiangtang:generated:end -->"

#: kind → (module, Chinese name, where the files live)
KINDS = {
    "lecture": (lecture_mod, "讲稿", "lectures/**/<编号>.md 开头两行 --- 之间（front matter）"),
    "speaker": (speaker_mod, "宣讲员", "speakers/<编号>.yaml"),
    "session": (session_mod, "宣讲记录", "sessions/**/*.yaml 中列表的每一项"),
}


def object_schema(fields: tuple[Field, ...], vocab: Vocabulary, title: str) -> dict:
    """JSON Schema of one mapping: properties with descriptions and examples, required keys, no others."""
    props = {}
    for f in fields:
        s = dict(f.json_schema(vocab))
        s["description"] = f.doc
        props[f.name] = s
    return {"title": title, "type": "object", "properties": props,
            "required": [f.name for f in fields if f.required], "additionalProperties": False}


def json_schema(kind: str, vocab: Vocabulary) -> dict:
    """The JSON Schema document of a content kind (``"lecture"``, ``"speaker"``, ``"session"``)."""
    mod, name, where = KINDS[kind]
    record = object_schema(mod.FIELDS, vocab, name)
    one_of = getattr(mod, "ONE_OF", ())
    if one_of:
        record["oneOf"] = [{"required": [k]} for k in one_of]
    head = {"$schema": SCHEMA_DIALECT, "$id": f"https://jiangtang.invalid/schemas/{kind}.schema.json",
            "description": f"jiangtang（讲堂）{name}：{where}。由 jiangtang/{kind}.py 的 FIELDS 生成。"}
    if kind == "session":
        return {**head, "title": "宣讲记录文件", "type": "array", "items": record}
    return {**head, **record}


def _cell(text: str) -> str:
    """Text for a Markdown table cell: in a code span when it looks like code, pipes escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    text = text.replace("\n", " ⏎ ")
    ticks = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{ticks}{pad}{text}{pad}{ticks}".replace("|", "\\|")


def field_table(fields: tuple[Field, ...], vocab: Vocabulary) -> str:
    """A Markdown table of a schema: field, required, type, meaning, example."""
    rows = ["| 字段 | 必填 | 类型 | 含义 | 示例 |", "|---|---|---|---|---|"]
    for f in fields:
        kind = f.type_zh
        allowed = f.allowed(vocab) if hasattr(f, "allowed") else []
        if allowed:
            kind += "：" + "、".join(allowed)
        rows.append(f"| `{f.name}` | {'是' if f.required else '否'} | {_cell(kind)} | {_cell(f.doc)} | {_code(f.example)} |")
    return "\n".join(rows)


def complete_example(kind: str) -> str:
    """A complete file of a kind with every field set to its example value (YAML as written)."""
    mod = KINDS[kind][0]
    skip = set(getattr(mod, "ONE_OF", ())[1:])  # one of lecture/title only
    lines = [f"{f.name}: {f.example}" for f in mod.FIELDS if f.name not in skip and f.name != "slug"]
    if kind == "lecture":
        return "---\n" + "\n".join(lines) + "\n---\n\n## 一、从实践中来\n\n正文用 Markdown 书写。\n"
    if kind == "session":
        return "\n".join(("- " if i == 0 else "  ") + ln.replace("\n", "\n  ") for i, ln in enumerate(lines)) + "\n"
    return "\n".join(lines) + "\n"


def codes_table() -> str:
    """A Markdown table of every diagnostic code: code, level, mistake, example, fix."""
    rows = ["| 代码 | 级别 | 问题 | 例子 | 怎么改 |", "|---|---|---|---|---|"]
    for c in CODES.values():
        level = "错误" if c.severity == ERROR else "警告"
        rows.append(f"| {c.code} | {level} | {_cell(c.title)} | {_code(c.example)} | {_cell(c.fix)} |")
    return "\n".join(rows)


def reference_page(vocab: Vocabulary) -> str:
    """The whole ``docs/reference.md`` (投稿参考)."""
    parts = [
        "# 投稿参考",
        "",
        "本页由程序根据字段定义和检查规则自动生成（`python -m jiangtang.schema`），与 `python build.py check` 的检查完全一致。"
        "怎样投稿见[投稿指南](contribute.md)。",
        "",
        "## 常用命令",
        "",
        "| 命令 | 作用 |",
        "|---|---|",
        "| `python build.py check` | 检查全部内容，一次列出所有问题（`文件:行:列: 代码 说明（改法）`） |",
        "| `python build.py new lecture --title 标题 --speaker 编号` | 新建讲稿文件（先显示编号和页面地址，不会覆盖已有文件） |",
        "| `python build.py new speaker --name 姓名 --team 队伍` | 新建宣讲员文件 |",
        "| `python build.py new session --date 2022-05-01 --speaker 编号 --lecture 讲稿编号 --classroom 田间课堂` | 在 `sessions/年份.yaml` 末尾追加一条宣讲记录 |",
        "| `python build.py fix-encoding 文件` | 把 GBK 等编码的文件转成 UTF-8，原文件保留为 `.bak` |",
        "",
        "不带参数运行 `new` 时，会逐项提问。",
        "",
    ]
    for kind, (mod, name, where) in KINDS.items():
        parts += [f"## {name}字段", "", f"位置：`{where}`", "", field_table(mod.FIELDS, vocab), ""]
        if getattr(mod, "ONE_OF", ()):
            parts += [f"{'、'.join(mod.ONE_OF)} 须且只须填写一个。", ""]
        lang = "markdown" if kind == "lecture" else "yaml"
        parts += ["完整示例：", "", f"```{lang}", complete_example(kind).rstrip("\n"), "```", ""]
    parts += ["## 检查代码", "",
              "`check` 报告的每个问题都有一个代码。“错误”会让检查不通过；“警告”只提醒，加 `--strict` 时也算不通过。", "",
              codes_table(), ""]
    return "\n".join(parts)


def contribute_section() -> str:
    """The generated block of ``docs/contribute.md`` (between the markers)."""
    return "\n".join([
        BEGIN, "",
        "## 字段表和检查代码",
        "",
        "每种文件可以填写哪些字段、各是什么类型，以及检查时每个错误代码的含义和改法，见[投稿参考](reference.md)。"
        "提交前可以在本机运行 `python build.py check`；新建文件可以用 `python build.py new`，它会先显示编号和页面地址。",
        "", END,
    ])


def derived_files(root: Path, vocab: Vocabulary) -> dict[Path, str]:
    """Every derived file under ``root`` → its current content (``docs/contribute.md`` only when it exists)."""
    out: dict[Path, str] = {}
    for kind in KINDS:
        out[root / "schemas" / f"{kind}.schema.json"] = json.dumps(json_schema(kind, vocab), ensure_ascii=False, indent=2) + "\n"
    out[root / "docs" / "reference.md"] = reference_page(vocab)
    contribute = root / "docs" / "contribute.md"
    if contribute.is_file():
        out[contribute] = with_section(contribute.read_text("utf-8"), contribute_section())
    return out


def with_section(text: str, section: str) -> str:
    """``text`` with the generated block replaced (or appended at the end when absent)."""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        return head + section + tail
    return text.rstrip("\n") + "\n\n" + section + "\n"


def hub_vocabulary(config_file: Path) -> Vocabulary:
    """The vocabularies of the hub whose files are generated.

    Raises:
        SystemExit: when the config cannot be read (its diagnostics are printed).
    """
    report = Report()
    config = load_config(config_file, report)
    if config is None or report.errors:
        print(report.render(), file=sys.stderr)
        raise SystemExit(1)
    return config.vocab


def main(argv: list[str] | None = None) -> int:
    """``python -m jiangtang.schema [-f mkdocs.yml] [--check]``: regenerate, or list stale files (exit 1)."""
    p = argparse.ArgumentParser(prog="python -m jiangtang.schema", description="生成 JSON Schema、投稿参考页和投稿指南中的生成部分")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", help="站点配置文件（词表来源）")
    p.add_argument("--check", action="store_true", help="只检查是否需要重新生成，不写入")
    args = p.parse_args(argv)
    config_file = Path(args.config_file).resolve()
    files = derived_files(config_file.parent, hub_vocabulary(config_file))
    stale = [path for path, text in files.items() if not path.is_file() or path.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(config_file.parent)} 已过期：运行 python -m jiangtang.schema（或 make derived）重新生成", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], "utf-8")
        print(f"已生成 {path.relative_to(config_file.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
