"""Headline figures computed from the records (home page, later the stats page)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .hub import Hub

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figures:
    """The hub's headline figures.

    Attributes:
        lectures: number of lectures.
        speakers: number of speakers.
        speakers_by_team: team → number of speakers, in the hub's team order.
        sessions_held: sessions dated on or before the build date.
        sessions_upcoming: sessions dated after it.
        audience: people reached in person (sum of ``audience`` over held sessions).
        online_viewers: people reached online (sum of ``online_viewers`` over held sessions).
        towns: distinct towns reached by held sessions, sorted by pinyin.
    """

    lectures: int
    speakers: int
    speakers_by_team: dict[str, int] = field(default_factory=dict)
    sessions_held: int = 0
    sessions_upcoming: int = 0
    audience: int = 0
    online_viewers: int = 0
    towns: tuple[str, ...] = ()


def compute(hub: Hub) -> Figures:
    """Compute :class:`Figures` for ``hub`` (upcoming sessions count toward nothing but ``sessions_upcoming``)."""
    from .slugs import sort_key

    held = [s for s in hub.sessions if not hub.is_upcoming(s)]
    by_team = {team: 0 for team in hub.config.vocab.teams}
    for sp in hub.speakers.values():
        by_team[sp.team] = by_team.get(sp.team, 0) + 1
    return Figures(
        lectures=len(hub.lectures),
        speakers=len(hub.speakers),
        speakers_by_team=by_team,
        sessions_held=len(held),
        sessions_upcoming=len(hub.sessions) - len(held),
        audience=sum(s.audience or 0 for s in held),
        online_viewers=sum(s.online_viewers or 0 for s in held),
        towns=tuple(sorted({s.town for s in held if s.town}, key=sort_key)),
    )
