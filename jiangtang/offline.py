"""Offline builds: a site folder that works from ``file://`` and a zip of it for intranets.

``python build.py build --offline`` renders with ``use_directory_urls: false``
(every link names its ``index.html``, which a browser needs without a server)
and turns off Material features that fetch pages with JavaScript
(``navigation.instant``), which ``file://`` forbids.

We do not use Material's own ``offline`` plugin: besides the same
``use_directory_urls`` switch it adds ``https://unpkg.com/iframe-worker/shim``
as a polyfill (a request to another host) and only serves Material's search,
which jiangtang replaces with its own (``jiangtang.search``).

``python build.py pack`` zips such a folder reproducibly (:func:`pack`).
"""

from __future__ import annotations

import logging
import os
import time
import zipfile
from pathlib import Path

log = logging.getLogger(__name__)

#: Material features that need a server (they fetch pages with XHR/fetch).
SERVER_ONLY_FEATURES = ("navigation.instant", "navigation.instant.prefetch", "navigation.instant.progress",
                        "navigation.instant.preview")
#: Read-me placed at the top of the zip, next to the site folder.
README_NAME = "使用说明.txt"
README_TEXT = ("离线版站点使用说明\n\n"
               "1. 把压缩包完整解压到电脑或 U 盘上的任意位置。\n"
               "2. 打开解压出的文件夹，双击 index.html，用浏览器浏览即可，不需要联网，也不需要安装软件。\n"
               "3. 站内搜索可以直接使用；推荐使用较新的 Chrome、Edge、Firefox 或国产浏览器的极速模式。\n")


def apply(config) -> None:
    """Switch a loaded MkDocs config to an offline build (in place).

    Args:
        config: a :class:`mkdocs.config.defaults.MkDocsConfig` from ``load_config``,
            before ``build()`` runs the plugins' ``on_config``.
    """
    config.use_directory_urls = False
    features = config.theme.get("features") or []
    dropped = [f for f in features if f in SERVER_ONLY_FEATURES]
    if dropped:
        config.theme["features"] = [f for f in features if f not in SERVER_ONLY_FEATURES]
        log.info("离线版关闭了需要服务器的功能：%s", "、".join(dropped))


def zip_date() -> tuple[int, int, int, int, int, int]:
    """Timestamp for every zip entry: ``SOURCE_DATE_EPOCH`` (UTC) when set, else 1980-01-01.

    Zip stores local times from 1980 on; a fixed time keeps the archive byte-identical
    across builds (https://reproducible-builds.org/docs/archives/).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.strip().isdigit():
        t = time.gmtime(max(int(epoch), 315532800))
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)
    return (1980, 1, 1, 0, 0, 0)


def pack(site_dir: Path, zip_path: Path, folder: str = "site") -> int:
    """Zip a built site reproducibly: sorted entries, fixed times and permissions.

    Args:
        site_dir: the built (offline) site folder.
        zip_path: the archive to write (replaced if present).
        folder: name of the folder inside the archive holding the site.

    Returns:
        The number of files stored.

    Raises:
        FileNotFoundError: ``site_dir`` has no ``index.html``.
    """
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(site_dir / "index.html")
    stamp = zip_date()
    paths = sorted(p for p in site_dir.rglob("*") if p.is_file())
    tmp = zip_path.with_name(zip_path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine packs it
            info.flag_bits |= 0x800  # UTF-8 names (Chinese file names stay readable)
            zf.writestr(info, data)

        add(README_NAME, README_TEXT.encode("utf-8"))
        for p in paths:
            add(f"{folder}/{p.relative_to(site_dir).as_posix()}", p.read_bytes())
    os.replace(tmp, zip_path)
    return len(paths)
