"""Diagnostics: located, coded messages about a hub's content, and their catalogue.

Every problem jiangtang finds is a :class:`Diagnostic` with a stable code
(``JTnnn``) from :data:`CODES`, printed as ``path:line:col: JTnnn 消息（提示）``.
The catalogue is the single source of the error-code list in the contributor docs.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field

log = logging.getLogger(__name__)

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """One entry of the error-code catalogue.

    Attributes:
        code: stable id, ``"JT" + 3 digits``.
        severity: :data:`ERROR` or :data:`WARNING`.
        title: short Chinese name of the mistake.
        example: a line of content that triggers it.
        fix: how to fix it, in Chinese.
    """

    code: str
    severity: str
    title: str
    example: str
    fix: str


_CATALOGUE = [
    Code("JT001", ERROR, "文件不是 UTF-8 编码", "用记事本另存为 GBK 的 .yaml 文件", "运行 `python build.py fix-encoding 文件路径` 转成 UTF-8（会保留备份）"),
    Code("JT002", ERROR, "文件过大", "一个 20 MB 的讲稿文件", "拆分文件，单个文件不超过 2 MB"),
    Code("JT003", ERROR, "文件是空的", "一个 0 字节的 speakers/某某.yaml", "按投稿指南填写内容，或删除该文件"),
    Code("JT004", ERROR, "文件无法读取", "权限不足的文件", "检查文件权限"),
    Code("JT010", ERROR, "YAML 语法错误", "title: 《实践论》: 导读", "检查该行的冒号、引号和缩进；含冒号的文字请加引号"),
    Code("JT011", ERROR, "使用了全角冒号", "title：实践论", "把全角冒号“：”改成半角冒号“:”，并在其后加一个空格"),
    Code("JT012", ERROR, "使用了全角空格或不换行空格", "　title: 实践论", "把全角空格“　”或不换行空格（U+00A0，从 Word 或网页复制时常带进来）改成半角空格"),
    Code("JT013", ERROR, "使用了制表符缩进", "\ttitle: 实践论", "YAML 不允许 Tab 缩进，请改用空格"),
    Code("JT014", ERROR, "列表里使用了全角逗号", "speakers: [单丽，曾国华]", "把全角逗号“，”改成半角逗号“,”"),
    Code("JT015", ERROR, "使用了全角引号、括号或破折号", "speakers: 【单丽】", "把全角符号改成半角：“ ” → \"，【】［］ → []，｛｝ → {}，列表项开头的 －、— → -"),
    Code("JT016", ERROR, "字段重复", "两行 title:", "删除其中一行，只保留一个"),
    Code("JT017", ERROR, "不允许使用 YAML 锚点和别名", "speakers: *a", "直接写出内容，不要使用 & 和 *"),
    Code("JT018", ERROR, "YAML 嵌套太深", "speakers: [[[[[[……]]]]]]", "按字段表写成简单的“字段: 值”和列表"),
    Code("JT019", ERROR, "有看不见的字符", "speakers: [单丽\u200b]（名字后面跟着零宽空格 U+200B）", "删除该列的零宽空格、文字方向控制符等看不见的字符，或重新手工输入这段文字"),
    Code("JT020", ERROR, "缺少 front matter", "讲稿第一行不是 ---", "在讲稿开头加上由 --- 包围的字段区"),
    Code("JT021", ERROR, "front matter 没有结束", "只有开头的 ---", "在字段区末尾另起一行写 ---"),
    Code("JT022", ERROR, "内容不是“字段: 值”的形式", "speakers/某某.yaml 里写成了列表", "按字段表写成“字段: 值”"),
    Code("JT023", ERROR, "宣讲记录文件不是列表", "sessions/2022.yaml 顶层是 date:", "每条记录以“- ”开头"),
    Code("JT030", ERROR, "未知字段", "sumary: ……", "检查拼写，使用字段表中的字段名"),
    Code("JT031", ERROR, "缺少必填字段", "讲稿没有 title", "补上该字段"),
    Code("JT032", ERROR, "字段类型不对", "orderable: 是", "按字段表填写正确类型的值"),
    Code("JT033", ERROR, "日期格式不对", "date: 2022/05/01", "写成 YYYY-MM-DD，例如 2022-05-01"),
    Code("JT034", ERROR, "数字不对", "audience: 四十五", "填写不小于 0 的整数，例如 45"),
    Code("JT035", ERROR, "取值不在本站词表中", "classroom: 田头课堂", "改成词表中的值，或在 mkdocs.yml 的 jiangtang 插件配置中添加"),
    Code("JT036", ERROR, "slug 格式不对", "slug: Shan Li", "只用小写字母、数字和连字符，例如 shan-li"),
    Code("JT037", ERROR, "摘要太长", "summary 超过 200 字", "把摘要压缩到 200 字以内"),
    Code("JT038", ERROR, "lecture 和 title 须且只须填一个", "记录里既没有 lecture 也没有 title", "有讲稿时填 lecture（讲稿编号），否则填 title"),
    Code("JT039", ERROR, "时间格式不对", "time: 下午3点", "写成 24 小时制 HH:MM，例如 15:00"),
    Code("JT040", ERROR, "附件写法不对", "attachments: [讲稿.pdf]", "每个附件写成 {title: 标题, file: 文件} 或 {title: 标题, url: https://…}"),
    Code("JT050", ERROR, "找不到宣讲员", "speakers: [shanli]", "填写 speakers/ 下文件名（不含 .yaml）"),
    Code("JT051", ERROR, "找不到讲稿", "lecture: dongxun", "填写 lectures/ 下文件名（不含 .md）"),
    Code("JT052", ERROR, "编号重复", "lectures/2022/a.md 与 lectures/2023/a.md", "给其中一个文件改名"),
    Code("JT053", ERROR, "页面地址（slug）重复", "单丽.yaml 与 shan-li.yaml", "给其中一个加 slug: 字段或改名"),
    Code("JT054", ERROR, "正文中的链接指向不存在的文件", "[另见](other.md)", "改正链接路径（相对于当前文件）"),
    Code("JT055", ERROR, "正文中的图片不存在", "![](images/a.png)", "把图片放到对应位置，或改正路径"),
    Code("JT056", ERROR, "附件或照片不存在", "file: 提纲.docx", "把文件放到讲稿（或宣讲员文件）旁边，或改正路径"),
    Code("JT057", ERROR, "附件或照片在站点目录之外", "file: ../../secret.txt", "附件必须放在站点目录内"),
    Code("JT060", ERROR, "正文里有脚本", "<script>alert(1)</script>", "删除 <script>；站点不允许运行投稿中的脚本"),
    Code("JT061", ERROR, "HTML 标签带有事件属性", "<img src=\"a.png\" onerror=\"…\">", "删除 onclick、onerror 等 on 开头的属性"),
    Code("JT062", ERROR, "链接使用了危险的地址协议", "[点我](javascript:alert(1))", "只能链接 http(s) 网址或站内相对路径；图片放在讲稿旁边再引用"),
    Code("JT063", ERROR, "正文里嵌入了外部框架", "<iframe src=\"https://…\"></iframe>", "视频或网页请写成普通链接"),
    Code("JT064", ERROR, "使用了不允许的 HTML 标签或属性", "<span style=\"color:red\">", "改用 Markdown 写法，或只使用安全的标签和属性"),
    Code("JT065", ERROR, "发布内容中有手机号码", "联系电话：139****5678（完整 11 位）", "删除手机号码；需要时写单位的办公电话"),
    Code("JT066", ERROR, "发布内容中有身份证号码", "身份证：320623********0019（完整 18 位，校验位正确）", "删除身份证号码；宣讲员资料只写内容约定中的字段"),
    Code("JT067", ERROR, "页面会向其他网站请求资源", "<img src=\"https://example.com/a.png\">", "把文件保存到站点目录里（例如讲稿旁边），再用相对路径引用；站点不能向其他网站发请求"),
    Code("JT070", ERROR, "站点配置错误", "teams: 党员干部", "按内容约定填写 mkdocs.yml 中 jiangtang 插件的配置"),
    Code("JT080", WARNING, "宣讲员没有讲稿也没有宣讲记录", "speakers/新人.yaml 未被引用", "补充讲稿或宣讲记录，或暂不提交该文件"),
    Code("JT081", WARNING, "讲稿从未宣讲", "没有任何记录的 lecture 指向它", "补充宣讲记录"),
    Code("JT082", WARNING, "未来的宣讲记录填写了听众人数", "date: 2099-01-01 且 audience: 50", "活动结束后再填写人数"),
    Code("JT083", WARNING, "内容目录里有不会被读取的文件", "sessions/2025.yaml.txt", "改正扩展名：讲稿用 .md，宣讲员和宣讲记录用 .yaml"),
    Code("JT090", ERROR, "已发布页面的地址变了", "给已发布的讲稿加了 slug: 新地址", "确认要改地址就运行 python build.py permalinks --update，旧地址会自动跳转到新地址；否则撤销改动"),
    Code("JT091", ERROR, "已发布的页面不见了", "删除或改名了 lectures/2022/a.md", "确认要删除就运行 python build.py permalinks --update，旧地址会跳转到列表页；否则恢复该文件"),
    Code("JT093", ERROR, "permalinks.lock 无法解析", "手工编辑时把制表符改成了空格", "运行 python build.py permalinks --update 重新生成"),
]

#: Every code by its id; the one place codes are declared.
CODES: dict[str, Code] = {c.code: c for c in _CATALOGUE}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A located problem in a hub.

    Attributes:
        path: file path as given to the user (relative to the hub when possible, POSIX).
        line: 1-based line, 0 when the whole file is meant (printed as 1).
        col: 1-based column, 0 when unknown (printed as 1).
        code: a key of :data:`CODES`.
        message: Chinese message naming the value at fault.
        hint: Chinese fix hint; defaults to the catalogue's.

    Raises:
        KeyError: on construction with an unknown code.
    """

    path: str
    line: int
    col: int
    code: str
    message: str = field(compare=False)
    hint: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise KeyError(self.code)

    @property
    def severity(self) -> str:
        """``"error"`` or ``"warning"``, from the catalogue."""
        return CODES[self.code].severity

    @property
    def fix(self) -> str:
        """The hint to print: the specific one, else the catalogue's."""
        return self.hint or CODES[self.code].fix

    def format(self) -> str:
        """``path:line:col: JTnnn 消息（提示）``; warnings carry ``警告`` before the message.

        A file-level position (line or column 0) prints as 1, as editors and CI expect.
        """
        level = "警告：" if self.severity == WARNING else ""
        return f"{self.path}:{max(self.line, 1)}:{max(self.col, 1)}: {self.code} {level}{self.message}（{self.fix}）"

    def format_github(self) -> str:
        """A GitHub Actions workflow command (``::error file=…,line=…,col=…::…``)."""
        kind = "warning" if self.severity == WARNING else "error"
        text = f"{self.code} {self.message}（{self.fix}）".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.path},line={max(self.line, 1)},col={max(self.col, 1)},title={self.code}::{text}"

    def as_dict(self) -> dict:
        """Plain dict for ``--format json``."""
        d = asdict(self)
        d["hint"] = self.fix
        d["severity"] = self.severity
        return d


class Report:
    """Collects diagnostics across a whole hub; callers fail once at the end."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        """Record one diagnostic (see :class:`Diagnostic` for the arguments)."""
        self.items.append(Diagnostic(path, line, col, code, message, hint))

    def extend(self, items) -> None:
        """Record several diagnostics."""
        self.items.extend(items)

    def sorted(self) -> list[Diagnostic]:
        """All diagnostics sorted by path, line, column, code; duplicates removed."""
        seen, out = set(), []
        for d in sorted(self.items):
            key = (d.path, d.line, d.col, d.code, d.message)
            if key not in seen:
                seen.add(key)
                out.append(d)
        return out

    @property
    def errors(self) -> list[Diagnostic]:
        """Diagnostics of severity error, sorted."""
        return [d for d in self.sorted() if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """Diagnostics of severity warning, sorted."""
        return [d for d in self.sorted() if d.severity == WARNING]

    def failed(self, strict: bool = False) -> bool:
        """True when there is an error, or any warning under ``strict``."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def render(self, fmt: str = "text") -> str:
        """All diagnostics as text (one per line), GitHub annotations or JSON."""
        items = self.sorted()
        if fmt == "github":
            return "\n".join(d.format_github() for d in items)
        if fmt == "json":
            return json.dumps([d.as_dict() for d in items], ensure_ascii=False, indent=2)
        return "\n".join(d.format() for d in items)


class HubError(Exception):
    """Raised by the compiler when a hub has errors; carries the :class:`Report`."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} 个错误")
        self.report = report
