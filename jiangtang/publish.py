"""Publishing concerns of a built site: robots.txt, sitemap, the 404 page, redirect pages.

Called from the MkDocs plugin (:mod:`jiangtang.plugin`):

* :func:`extra_files` (``on_files``): redirect pages from ``permalinks.lock``
  and, when ``site_url`` is set, ``robots.txt`` pointing at the sitemap;
* :func:`error_page_context` (``on_template_context`` of ``404.html``): without
  ``site_url`` MkDocs writes the 404 page with absolute ``/…`` URLs
  (https://github.com/mkdocs/mkdocs/issues/1598), which break when the site
  lives at a sub-path such as ``/theory/``. We render it with root-relative
  URLs instead, and ``theme/404.html`` sets ``<base href>`` to the site root
  found from the address (see ``jt_top`` below);
* :func:`post_build` (``on_post_build``): removes ``sitemap.xml(.gz)`` when
  ``site_url`` is unset (MkDocs then writes a ``<urlset>`` without ``<url>``,
  which the sitemaps.org schema rejects).
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from . import permalinks
from .hub import Hub

log = logging.getLogger(__name__)

ROBOTS = "robots.txt"
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")


def robots_txt(site_url: str) -> bytes:
    """``robots.txt`` allowing every crawler and naming the sitemap (https://www.robotstxt.org/)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n".encode("utf-8")


def extra_files(hub: Hub, config, taken: set[str]) -> dict[str, bytes]:
    """Files to add to the build: redirect pages and ``robots.txt``.

    Args:
        hub: the compiled hub.
        config: the MkDocs config (``site_url``, ``use_directory_urls``).
        taken: site paths already produced by pages or files (never overwritten;
            a hub's own ``docs/robots.txt`` wins).

    Returns:
        site path → bytes.
    """
    out = {path: data for path, data in
           permalinks.redirect_files(hub, directory_urls=config.use_directory_urls).items() if path not in taken}
    if config.site_url and ROBOTS not in taken:
        out[ROBOTS] = robots_txt(config.site_url if config.site_url.endswith("/") else config.site_url + "/")
    return out


def error_page_context(context, config, files) -> None:
    """Adapt the 404 page's template context in place (only when ``site_url`` is unset).

    Sets ``base_url`` to ``"."`` (URLs relative to the site root, resolved by the
    ``<base>`` that ``theme/404.html`` writes) and ``jt_top``: the sorted first
    path segments of every page and file, which the page's script looks for in
    the address to find where the site root is; ``jt_probe``: a file every
    site has, asked for at each prefix of the address as a last resort.
    """
    if config.site_url:
        return
    context["base_url"] = "."
    context["jt_probe"] = "assets/jiangtang/fontsize.js"
    context["jt_top"] = sorted({f.url.split("/", 1)[0] for f in files if "/" in f.url} - {"", ".", ".."})


def post_build(config) -> None:
    """Remove the sitemap when ``site_url`` is unset (it would hold no ``<url>``, invalid by its schema)."""
    if config.site_url:
        return
    for name in SITEMAPS:
        path = Path(config.site_dir) / name
        if path.exists():
            path.unlink()


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
_TOC_LABEL = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.S)


def fix_markup(output: str) -> str:
    """Fix what the Nu HTML Checker rejects in Material's templates (https://validator.github.io/validator/).

    * ``autocomplete`` is not allowed on checkboxes (Material's drawer and search toggles);
    * pages outside the navigation (lectures, speakers) get the table of contents'
      ``<label for="__toc">`` without the ``__toc`` checkbox it names: it becomes
      a plain heading ``<span>`` with the same class.

    Args:
        output: a rendered page.

    Returns:
        The page with those two constructs rewritten; nothing else changes.
    """
    output = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)
    if 'id="__toc"' not in output:
        output = _TOC_LABEL.sub(r'<span class="md-nav__title">\1</span>', output)
    return output


def escape_description(page) -> None:
    """HTML-escape ``page.meta["description"]`` in place.

    Material writes it into ``<meta name="description" content="…">`` unescaped
    (MkDocs' Jinja has no autoescape), so a summary with ``"`` broke the tag.
    """
    desc = page.meta.get("description") if page.meta else None
    if isinstance(desc, str):
        page.meta["description"] = html.escape(desc, quote=True)
