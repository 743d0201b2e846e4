"""QR codes (二维码) of lecture and speaker permalinks, for posters and handouts.

Drawn by segno (https://segno.readthedocs.io/) as SVG files beside each page
(``lectures/<slug>/qr.svg``), error correction level M, black on white with the
standard 4-module quiet zone (ISO/IEC 18004). A QR code must hold an absolute
address, so it needs the hub's ``site_url``: without it no code is drawn, the
build warns once and each page says why the code is missing.
"""

from __future__ import annotations

import io
import logging

import segno

from . import pages as pages_mod
from .hub import Hub

log = logging.getLogger(__name__)

#: File name of the QR code beside each page.
QR_NAME = "qr.svg"
#: Pixels per module in the SVG (the image scales down in CSS).
SCALE = 4


def permalink(hub: Hub, url: str) -> str:
    """Absolute address of the page at site-relative ``url``; ``""`` without ``site_url``."""
    return hub.config.site_url + url if hub.config.site_url else ""


def qr_svg(data: str, title: str = "") -> bytes:
    """An SVG QR code encoding ``data`` (UTF-8 bytes of the SVG document).

    Args:
        data: the text to encode (an absolute URL).
        title: optional ``<title>`` of the SVG.
    """
    buf = io.BytesIO()
    segno.make(data, error="m", micro=False).save(buf, kind="svg", scale=SCALE, border=4, dark="#000", light="#fff",
                                                 xmldecl=True, title=title or None, svgclass="jt-qr-svg", lineclass=None)
    return buf.getvalue()


def block(gen: "pages_mod.Pages", url: str, title: str) -> str:
    """The QR block of the page at ``url``; also records its SVG in ``gen.qr_files``.

    Returns:
        Markdown: the image with the permalink under it, or a note that
        ``site_url`` is missing.
    """
    link = permalink(gen.hub, url)
    if not link:
        return ('<div class="jt-qr jt-qr-missing" markdown>\n\n本站未配置网址（mkdocs.yml 中的 site_url），'
                "暂不能生成本页二维码。\n\n</div>\n")
    files = getattr(gen, "qr_files", None)
    if files is None:
        files = gen.qr_files = {}
    path = f"{url}{QR_NAME}"
    files[path] = qr_svg(link, title)
    return (f'<figure class="jt-qr" markdown>\n\n![本页二维码：{pages_mod.esc(title)}]({QR_NAME}){{ width="148" height="148" }}\n\n'
            f'<figcaption>扫码打开本页<br><span class="jt-permalink">{pages_mod._html(link)}</span></figcaption>\n\n</figure>\n')


def warn_if_missing(hub: Hub) -> None:
    """Log one build warning when ``site_url`` is missing (QR codes and absolute links need it)."""
    if not hub.config.site_url:
        log.warning("mkdocs.yml 没有设置 site_url：讲稿和宣讲员页面不会生成二维码，"
                    "订阅源和开放数据中的链接为相对地址。请填写站点的正式网址，例如 site_url: https://example.gov.cn/")


__all__ = ["QR_NAME", "permalink", "qr_svg", "block", "warn_if_missing"]
