"""The unit of search: one record per page (or per session record) a reader can find."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchDoc:
    """One searchable item, handed by the compiler to the search index builder.

    Attributes:
        url: site-relative URL without a leading slash, ending in ``/`` for pages
            (``lectures/shan-li/``) and possibly carrying an anchor for session
            records (``sessions/#s-1a2b3c4d5e``).
        kind: ``"lecture"`` (讲稿), ``"speaker"`` (宣讲员), ``"session"`` (宣讲记录)
            or ``"page"`` (页面).
        title: display title (lecture title, speaker name, session subject, page title).
        date: ISO date ``YYYY-MM-DD`` or ``None``; newer items win ties.
        speakers: display names of the speakers involved.
        headings: heading texts of the page, in order.
        body: plain text of the body (Markdown stripped), may be long.
        keywords: short labels also found by pinyin: topics, audiences, towns,
            venues, classroom kinds, team, role, organisation.
        summary: one-line summary shown in results, may be empty.
    """

    url: str
    kind: str
    title: str
    date: str | None = None
    speakers: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    body: str = ""
    keywords: tuple[str, ...] = ()
    summary: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)
