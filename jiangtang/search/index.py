"""Build the sharded search index: character bigrams, pinyin keys, phrase positions.

Layout of the emitted files (all site-relative, all plain JavaScript so they load by
``<script>`` insertion from ``http(s)://`` *and* ``file://``):

``search/idx/m.js``
    manifest: document count, one kind letter and one title-length digit (base 36,
    capped at 35) per document, the number of shards.
``search/idx/s/<n>.js``
    shard ``n``: ``{key: postings}`` for the keys with :func:`shard_of` ``== n``
    (no key directory is needed: the browser hashes the key the same way).
``search/idx/d/<id>.js``
    one document's display data: URL, kind, title, date, speakers, keywords,
    headings, summary (small; loaded for every result shown).
``search/idx/b/<id>.js``
    its body text, loaded only for results matched in the body (phrase check and
    snippet).

Keys (all text already normalised by :mod:`jiangtang.search.normalize`):

* ``ab``          character bigram; positional in t/n/k/h, document-level in b
* ``!a``          single character (t/n/k, positional)
* ``$shan``       full pinyin syllable (t/n/k)
* ``%shan|li``    two adjacent full syllables (t/n/k)
* ``&sl``         two adjacent initials (t/n/k)
* ``^单l``/``^s立`` character + initial, initial + character (t/n/k)

Fields: ``t`` title, ``n`` speaker names, ``k`` keywords (topics, towns, venues,
classroom kinds …), ``h`` headings, ``b`` body and summary.  A posting value is
``"t|n|k|h|b"``; positional parts are ``delta36.pos36.pos36,…`` (document id as a
base-36 delta from the previous one, positions absolute), ``b`` is ``delta36,…`` where
an item may carry ``.rrr``: the positions mod 32 (one base-32 digit each) of a bigram
that occurs at most :data:`RESIDUES` times in the body, which lets the browser drop
most documents that hold all bigrams of a phrase but not next to each other.
Document ids are assigned newest first, so id order is the tie-break order.
"""

from __future__ import annotations

import gc
import json
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .doc import SearchDoc
from .normalize import SEP, normalize
from .pinyin import readings

KIND_LETTER = {"lecture": "l", "speaker": "s", "session": "r", "page": "p"}
_KIND_ORDER = {"lecture": 0, "speaker": 1, "session": 2, "page": 3}
POS_FIELDS = ("t", "n", "k", "h")
FIELD_ORDER = ("t", "n", "k", "h", "b")
REG = "__jtS"  # global registration function defined by search.js
RESIDUES = 3  # body bigrams occurring at most this often carry their positions mod 32
_B32 = "0123456789abcdefghijklmnopqrstuv"


@lru_cache(maxsize=1 << 16)
def _b36(n: int) -> str:
    if n == 0:
        return "0"
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(digits[r])
    return "".join(reversed(out))


def shard_of(key: str, n_shards: int) -> int:
    """Shard number of an index key: FNV-1a (32 bit) over its UTF-16 code units.

    The browser computes the same function, so no key directory is downloaded.

    Args:
        key: index key, e.g. ``"农田"`` or ``"%shan|li"``.
        n_shards: number of shards (≥ 1).

    Returns:
        An integer in ``range(n_shards)``.
    """
    h = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % n_shards


def order_docs(docs: list[SearchDoc]) -> list[SearchDoc]:
    """Sort documents into id order: newest date first, undated last, then kind, URL.

    Args:
        docs: documents in any order.

    Returns:
        A new list; position in it is the document id used in the index.
    """
    return sorted(
        docs,
        key=lambda d: (
            d.date is None,
            "" if d.date is None else "".join(chr(0x10FFFF - ord(c)) for c in d.date),
            _KIND_ORDER.get(d.kind, 9),
            d.url,
        ),
    )


def field_text(parts: list[str] | tuple[str, ...]) -> str:
    """Join the parts of a positional field the way the browser does.

    Args:
        parts: e.g. the keywords of a document.

    Returns:
        Normalised parts joined by :data:`SEP` (positions in the index refer to
        code points of this string).
    """
    return SEP.join(normalize(p) for p in parts if p)


@dataclass
class IndexStats:
    """Figures of one index build (for the design note and benchmarks)."""

    docs: int = 0
    keys: int = 0
    shards: int = 0
    index_bytes: int = 0
    doc_bytes: int = 0


class _Builder:
    def __init__(self) -> None:
        # key -> field -> {doc: [positions]}
        self.pos: dict[str, dict[str, dict[int, list[int]]]] = defaultdict(lambda: defaultdict(dict))
        # key -> array of doc ids (body)
        self.body: dict[str, array] = {}
        # (key, doc) -> positions mod 32 as base-32 digits (absent: occurs often)
        self.residues: dict[tuple[str, int], str] = {}

    def _add(self, key: str, field: str, doc: int, p: int) -> None:
        self.pos[key][field].setdefault(doc, []).append(p)

    def add_positional(self, doc: int, field: str, parts, *, name: bool, pinyin: bool) -> None:
        offset = 0
        for part in parts:
            if not part:
                continue
            text = normalize(part)
            rd = readings(text, name=name) if pinyin else [""] * len(text)
            n = len(text)
            for i, c in enumerate(text):
                if c == SEP:
                    continue
                p = offset + i
                nxt = text[i + 1] if i + 1 < n else SEP
                if nxt != SEP:
                    self._add(c + nxt, field, doc, p)
                if not pinyin:
                    continue
                self._add("!" + c, field, doc, p)
                r = rd[i]
                if r:
                    self._add("$" + r, field, doc, p)
                    r2 = rd[i + 1] if i + 1 < n else ""
                    if r2:
                        self._add("%" + r + "|" + r2, field, doc, p)
                        self._add("&" + r[0] + r2[0], field, doc, p)
                        self._add("^" + c + r2[0], field, doc, p)
                        self._add("^" + r[0] + nxt, field, doc, p)
            offset += n + 1

    def add_body(self, doc: int, text: str) -> None:
        # For each bigram of the body: the document id, plus the positions mod 32 of
        # its first occurrences when it occurs at most RESIDUES times (phrase filter).
        seen: dict[str, list[int] | None] = {}
        offset = 0
        for run in normalize(text).split(SEP):
            n = len(run)
            if n > 1:
                for i, g in enumerate(map(str.__add__, run, run[1:])):
                    lst = seen.get(g, 0)
                    if lst == 0:
                        seen[g] = [offset + i]
                    elif lst is not None:
                        if len(lst) >= RESIDUES:
                            seen[g] = None
                        else:
                            lst.append(offset + i)
            offset += n + 1
        body = self.body
        res = self.residues
        for g, lst in seen.items():
            arr = body.get(g)
            if arr is None:
                arr = body[g] = array("I")
            arr.append(doc)
            if lst is not None:
                res[(g, doc)] = "".join(sorted({_B32[p & 31] for p in lst}))

    def encode(self) -> dict[str, str]:
        out: dict[str, str] = {}
        keys = set(self.pos) | set(self.body)
        for key in keys:
            parts = []
            fields = self.pos.get(key, {})
            for f in POS_FIELDS:
                postings = fields.get(f)
                if not postings:
                    parts.append("")
                    continue
                prev = 0
                items = []
                for d in sorted(postings):
                    items.append(_b36(d - prev) + "".join("." + _b36(p) for p in postings[d]))
                    prev = d
                parts.append(",".join(items))
            arr = self.body.get(key)
            if arr:
                prev = 0
                items = []
                res = self.residues
                for d in arr:  # appended in increasing doc order
                    r = res.get((key, d))
                    items.append(_b36(d - prev) + "." + r if r else _b36(d - prev))
                    prev = d
                parts.append(",".join(items))
            else:
                parts.append("")
            while parts and parts[-1] == "":
                parts.pop()
            out[key] = "|".join(parts)
        return out


def _js(kind: str, ident: int, payload) -> bytes:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f'{REG}("{kind}",{ident},{body});\n'.encode("utf-8")


def build_index(docs: list[SearchDoc], *, shard_bytes: int = 16000) -> tuple[dict[str, bytes], IndexStats]:
    """Build every index file for ``docs``.

    Args:
        docs: all searchable documents of the hub (any order; ids are assigned by
            :func:`order_docs`).
        shard_bytes: target average raw size of one shard file in bytes (the
            number of shards is the total size divided by it; a shard holding a
            very long posting list is larger).

    Returns:
        ``(files, stats)``: ``files`` maps site-relative paths (``search/idx/...``)
        to file contents; ``stats`` holds counts and byte totals.

    Raises:
        ValueError: a document has an unknown ``kind``.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small posting lists: the cyclic GC would make the build quadratic
    try:
        return _build_index(docs, shard_bytes)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build_index(docs: list[SearchDoc], shard_bytes: int) -> tuple[dict[str, bytes], IndexStats]:
    ordered = order_docs(docs)
    b = _Builder()
    files: dict[str, bytes] = {}
    stats = IndexStats(docs=len(ordered))
    kinds = []
    title_lens = []
    for i, d in enumerate(ordered):
        if d.kind not in KIND_LETTER:
            raise ValueError(f"unknown search document kind {d.kind!r} for {d.url}")
        kinds.append(KIND_LETTER[d.kind])
        title_lens.append(_b36(min(len(normalize(d.title)), 35)))
        b.add_positional(i, "t", [d.title], name=d.kind == "speaker", pinyin=True)
        b.add_positional(i, "n", list(d.speakers), name=True, pinyin=True)
        b.add_positional(i, "k", list(d.keywords), name=False, pinyin=True)
        b.add_positional(i, "h", list(d.headings), name=False, pinyin=False)
        b.add_body(i, d.body + SEP + d.summary)
        payload = {
            "u": d.url,
            "k": KIND_LETTER[d.kind],
            "t": d.title,
            "d": d.date or "",
            "s": list(d.speakers),
            "w": list(d.keywords),
            "h": list(d.headings),
            "m": d.summary,
        }
        data = _js("d", i, payload)
        files[f"search/idx/d/{i}.js"] = data
        body = _js("b", i, {"b": d.body})
        files[f"search/idx/b/{i}.js"] = body
        stats.doc_bytes += len(data) + len(body)

    encoded = b.encode()
    stats.keys = len(encoded)
    total = sum(len(k.encode()) + len(v) + 6 for k, v in encoded.items())
    n_shards = max(1, -(-total // shard_bytes))
    shards: list[dict[str, str]] = [{} for _ in range(n_shards)]
    for k in sorted(encoded):
        shards[shard_of(k, n_shards)][k] = encoded[k]
    for n, shard in enumerate(shards):
        data = _js("s", n, shard)
        files[f"search/idx/s/{n}.js"] = data
        stats.index_bytes += len(data)
    stats.shards = n_shards
    manifest = {
        "v": 1,
        "n": len(ordered),
        "kinds": "".join(kinds),
        "tl": "".join(title_lens),
        "ns": n_shards,
    }
    files["search/idx/m.js"] = _js("m", 0, manifest)
    stats.index_bytes += len(files["search/idx/m.js"])
    return files, stats
