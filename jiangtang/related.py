"""Related lectures (相关讲稿): lectures sharing topics or speakers with a given one.

Score = 2 × shared speakers + 1 × shared topics; ties go to the newer lecture.
Candidates come from an inverted index (topic → lectures, speaker → lectures,
each sorted by date), and for each key only the :data:`WINDOW` lectures nearest
in date are considered, so the work per lecture is bounded however large a
topic grows: O(lectures × keys × WINDOW) overall, never all pairs.
"""

from __future__ import annotations

import bisect
import logging
from collections import defaultdict

from . import pages as pages_mod
from .hub import Hub, lecture_sort_key
from .lecture import Lecture

log = logging.getLogger(__name__)

#: Related lectures shown per page.
SHOWN = 5
#: Lectures nearest in date considered per shared key.
WINDOW = 40
SPEAKER_WEIGHT = 2
TOPIC_WEIGHT = 1


class RelatedIndex:
    """The inverted index over a hub's lectures.

    Args:
        hub: a validated hub.
    """

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.postings: dict[tuple[str, str], list[Lecture]] = defaultdict(list)
        for lec in sorted(hub.lectures.values(), key=lecture_sort_key):
            for sid in dict.fromkeys(lec.speakers):
                self.postings[("s", sid)].append(lec)
            for t in dict.fromkeys(lec.topics):
                self.postings[("t", t)].append(lec)
        self._keys = {k: [lecture_sort_key(x) for x in v] for k, v in self.postings.items()}

    @classmethod
    def of(cls, hub: Hub) -> "RelatedIndex":
        """The hub's index, built on first use and cached on the hub."""
        idx = getattr(hub, "_related", None)
        if idx is None:
            idx = hub._related = cls(hub)
        return idx

    def related(self, lec: Lecture, n: int = SHOWN) -> list[tuple[Lecture, int]]:
        """Up to ``n`` ``(lecture, score)`` related to ``lec``, best first."""
        scores: dict[str, int] = defaultdict(int)
        by_id: dict[str, Lecture] = {}
        keys = [(("s", s), SPEAKER_WEIGHT) for s in dict.fromkeys(lec.speakers)] + \
               [(("t", t), TOPIC_WEIGHT) for t in dict.fromkeys(lec.topics)]
        for key, weight in keys:
            posting = self.postings.get(key, [])
            pos = bisect.bisect_left(self._keys[key], lecture_sort_key(lec))
            for other in posting[max(0, pos - WINDOW // 2): pos + WINDOW // 2 + 1]:
                if other.id != lec.id:
                    scores[other.id] += weight
                    by_id[other.id] = other
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], -by_id[kv[0]].date.toordinal(), kv[0]))
        return [(by_id[i], s) for i, s in ranked[:n]]


def section(gen: "pages_mod.Pages", here: str, lec: Lecture) -> str:
    """The 相关讲稿 section of a lecture page (Markdown), ``""`` when nothing is related."""
    found = RelatedIndex.of(gen.hub).related(lec)
    if not found:
        return ""
    items = "\n".join(gen.lecture_item(here, other) for other, _ in found)
    return f'## 相关讲稿\n\n<div class="jt-related" markdown>\n\n{items}\n\n</div>\n'


__all__ = ["RelatedIndex", "section", "SHOWN", "WINDOW"]
