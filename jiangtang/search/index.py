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
import logging
import shutil
import sys
import tempfile
import time
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .doc import SearchDoc
from .normalize import SEP, normalize
from .pinyin import readings

log = logging.getLogger(__name__)

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


# --- How the build keeps memory flat (and uses every core) ---------------------------
# Pass 1 reads the documents in id order, cut into C chunks of about equal work: each
# chunk writes its documents' d/ and b/ files and appends one text line per posting,
# "key field doc rest", to one of P scratch files of its own ("p<part>.<chunk>.txt",
# part chosen by the key's hash; field is "0".."4" for t/n/k/h/b, doc is the
# zero-padded global id, rest is the already encoded ".pos.pos" or ".residue").
# Pass 2 takes one partition at a time (all chunks' files of it): a plain sort of its
# lines groups them by key, then field, then document, whatever order the chunks
# wrote them in, so each key's value is joined in one sweep; the values go to a file
# per partition with their sizes summed (the shard count needs the total).  Pass 3
# spreads each partition's values by shard over Q bucket files, then writes each
# bucket's shards (keys sorted).  Chunks, partitions and buckets are independent
# items that exchange results only through files, so ``map_items`` may run them in
# any order and in forked processes; one process holds one partition's lines at a time.

_LINES_PER_PARTITION = 150_000  # records (≈ body characters) per scratch file in pass 2
_BUCKET_BYTES = 8_000_000  # encoded index bytes per bucket in pass 3
_FLUSH_RECORDS = 200_000  # buffered pass-1 lines before writing them out
_CHUNKS = 32  # pass-1 items (document runs); more than processes, so the work evens out

#: ``map_items(count, fn)``: call ``fn(i)`` for every ``i`` in ``range(count)`` (see :func:`write_index`).
MapItems = Callable[[int, Callable[[int], None]], object]


@lru_cache(maxsize=8192)
def _readings(text: str, name: bool) -> tuple[str, ...]:
    return tuple(readings(text, name=name))


@lru_cache(maxsize=1024)  # entries are large (~100 postings): keep the cache small
def _field_postings(parts: tuple[str, ...], name: bool, pinyin: bool) -> tuple[tuple[str, int, str], ...]:
    """Positional keys of one field: ``((key, hash(key), ".pos36.pos36…"), …)`` (cached: session
    records repeat the same titles, names and places thousands of times)."""
    pos: dict[str, list[int]] = {}
    offset = 0
    for part in parts:
        if not part:
            continue
        text = normalize(part)
        rd = _readings(text, name) if pinyin else [""] * len(text)
        n = len(text)
        for i, c in enumerate(text):
            if c == SEP:
                continue
            p = offset + i
            nxt = text[i + 1] if i + 1 < n else SEP
            keys = [c + nxt] if nxt != SEP else []
            if pinyin:
                keys.append("!" + c)
                r = rd[i]
                if r:
                    keys.append("$" + r)
                    r2 = rd[i + 1] if i + 1 < n else ""
                    if r2:
                        keys += ("%" + r + "|" + r2, "&" + r[0] + r2[0], "^" + c + r2[0], "^" + r[0] + nxt)
            for key in keys:
                lst = pos.get(key)
                if lst is None:
                    pos[key] = [p]
                else:
                    lst.append(p)
        offset += n + 1
    return tuple((k, hash(k), "".join("." + _b36(p) for p in lst)) for k, lst in pos.items())


_RESIDUE: dict[int, str] = {}


def _residue(mask: int) -> str:
    """``"." + `` the set bits of ``mask`` as sorted base-32 digits."""
    res = _RESIDUE.get(mask)
    if res is None:
        res = _RESIDUE[mask] = "." + "".join(_B32[b] for b in range(32) if mask >> b & 1)
    return res


def _body_lines(text: str, tail: str, bufs: list[list[str]], mask: int) -> int:
    """Append one posting line per body bigram of ``text`` to ``bufs[hash(bigram) & mask]``.

    ``rest`` of a line is ``".rrr"`` (positions mod 32, base 32) for a bigram occurring
    at most :data:`RESIDUES` times, ``""`` for a frequent one.  Returns the line count.
    """
    s = normalize(text)
    if len(s) < 2:
        return 0
    grams = list(map(str.__add__, s, s[1:]))
    n = len(grams)
    first = dict(zip(reversed(grams), range(n - 1, -1, -1)))
    last = dict(zip(grams, range(n)))
    residue = _RESIDUE
    often = tail + "\n"
    count = 0
    for g, c in Counter(grams).items():
        if SEP in g:
            continue
        count += 1
        if c > RESIDUES:
            bufs[hash(g) & mask].append(g + often)
            continue
        a = first[g]
        m = 1 << (a & 31)
        if c > 1:
            m |= 1 << (last[g] & 31)
            if c == 3:
                m |= 1 << (s.find(g, a + 1) & 31)
        res = residue.get(m) or _residue(m)
        bufs[hash(g) & mask].append(g + tail + res + "\n")
    return count


def _fnv(key: str) -> int:
    h = 0x811C9DC5
    units = array("H", key.encode("utf-16-le"))
    if sys.byteorder == "big":  # pragma: no cover
        units.byteswap()
    for u in units:
        h = ((h ^ u) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(key: str, n_shards: int) -> int:
    """Shard number of an index key: FNV-1a (32 bit) over its UTF-16 code units.

    The browser computes the same function, so no key directory is downloaded.

    Args:
        key: index key, e.g. ``"农田"`` or ``"%shan|li"``.
        n_shards: number of shards (≥ 1).

    Returns:
        An integer in ``range(n_shards)``.
    """
    return _fnv(key) % n_shards


def _js(kind: str, ident: int, payload) -> bytes:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f'{REG}("{kind}",{ident},{body});\n'.encode("utf-8")


def _join_value(parts: list[list[str]]) -> str:
    joined = [",".join(items) for items in parts]
    while joined and joined[-1] == "":
        joined.pop()
    return "|".join(joined)


def _encode_partition(lines: list[str], b36: list[str]):
    """Yield ``(key, value)`` for the posting lines of one scratch file."""
    lines.sort()  # groups by key, then field digit, then zero-padded document id
    cur = None
    parts: list[list[str]] = []
    items: list[str] = []
    curf = ""
    prev = 0
    for line in lines:
        key, f, d, rest = line.split(" ")
        if key != cur:
            if cur is not None:
                yield cur, _join_value(parts)
            cur = key
            parts = [[], [], [], [], []]
            curf = ""
        if f != curf:
            curf = f
            items = parts[int(f)]
            prev = 0
        d = int(d)
        items.append(b36[d - prev] + rest)
        prev = d
    if cur is not None:
        yield cur, _join_value(parts)


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def _serial(count: int, fn: Callable[[int], None]) -> None:
    """The default ``map_items``: every item in order, in this process."""
    for i in range(count):
        fn(i)


def write_index(docs: list[SearchDoc], out_dir: Path, *, shard_bytes: int = 16000,
                map_items: MapItems | None = None) -> IndexStats:
    """Write every index file for ``docs`` under ``out_dir/search/idx/``, streaming.

    Memory stays bounded by one scratch partition per process (see the comment above
    :data:`_LINES_PER_PARTITION`), not by the size of the index: scratch files live in a
    hidden folder inside ``out_dir`` that is removed before returning (also on errors).

    The work is four rounds of independent items (document chunks, partitions,
    spreading, buckets); ``map_items(count, fn)`` must call ``fn(i)`` once for every
    ``i`` in ``range(count)``, in any order, in this process or in processes **forked**
    from it (items partition keys with Python's ``hash``, so every process needs the
    same hash seed, which a fork inherits), and return only when all are done. Items
    hand their results over through files only, so the output is byte-identical
    whatever the order or the process. Example: ``lambda n, fn:
    jiangtang.workers.share_work(n, fn, batch=1)``.

    Args:
        docs: all searchable documents of the hub (any order; ids are assigned by
            :func:`order_docs`).
        out_dir: folder receiving ``search/idx/m.js``, ``s/<n>.js``, ``d/<id>.js``
            and ``b/<id>.js``; an existing ``out_dir/search/idx`` is replaced.
        shard_bytes: target average raw size of one shard file in bytes (the
            number of shards is the total size divided by it; a shard holding a
            very long posting list is larger).
        map_items: runs a round of items, see above (default: in order, here).

    Returns:
        Counts and byte totals of the files written.

    Raises:
        ValueError: a document has an unknown ``kind`` (nothing is left half-written
            but the folders created so far).
        OSError: the files cannot be written.
        Exception: whatever ``map_items`` raises (e.g. an item failed in a helper).
    """
    for d in docs:
        if d.kind not in KIND_LETTER:
            raise ValueError(f"unknown search document kind {d.kind!r} for {d.url}")
    out_dir = Path(out_dir)
    idx = out_dir / "search" / "idx"
    if idx.exists():
        shutil.rmtree(idx)
    for sub in ("d", "b", "s"):
        (idx / sub).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".jt-search-work-", dir=out_dir))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # no reference cycles are made here; the collector would only rescan
    try:
        return _write_index(docs, idx, work, shard_bytes, map_items or _serial)
    finally:
        if gc_was_enabled:
            gc.enable()
        shutil.rmtree(work, ignore_errors=True)


def _doc_weight(d: SearchDoc) -> int:
    """Rough pass-1 cost of a document (characters, pinyin-keyed fields counted 8 times)."""
    return (len(d.body) + len(d.summary) + 8 * (len(d.title) + sum(map(len, d.speakers))
            + sum(map(len, d.keywords))) + sum(map(len, d.headings)) + 40)


def _chunk_bounds(ordered: list[SearchDoc], chunks: int) -> list[int]:
    """``chunks + 1`` document ids cutting ``ordered`` into runs of about equal weight."""
    weights = [_doc_weight(d) for d in ordered]
    total = sum(weights)
    bounds = [0]
    acc = 0
    for i, w in enumerate(weights):
        acc += w
        if len(bounds) < chunks and acc * chunks >= total * len(bounds):
            bounds.append(i + 1)
    bounds.append(len(ordered))
    return sorted(set(bounds))


def _read_parts(paths) -> list[str]:
    """Lines of the given scratch files (each ends with a newline), which are deleted."""
    texts = []
    for path in paths:
        texts.append(path.read_text("utf-8"))
        path.unlink()
    lines = "".join(texts).split("\n")
    lines.pop()  # after the last newline
    return lines


def _write_index(docs: list[SearchDoc], idx: Path, work: Path, shard_bytes: int, map_items: MapItems) -> IndexStats:
    t0 = time.perf_counter()
    ordered = order_docs(docs)
    stats = IndexStats(docs=len(ordered))
    chars = sum(len(d.body) + len(d.summary) + 8 * len(d.title) for d in ordered)
    n_part = 1
    while n_part < 256 and n_part * _LINES_PER_PARTITION < chars:
        n_part *= 2
    mask = n_part - 1
    width = len(str(max(len(ordered) - 1, 0)))
    bounds = _chunk_bounds(ordered, min(_CHUNKS, len(ordered)))
    n_chunks = len(bounds) - 1

    def chunk(c: int) -> None:
        """Pass 1, documents ``bounds[c]:bounds[c+1]`` → d/, b/ files, posting lines
        ``p<part>.<c>.txt``, and ``c<c>.txt``: kind letters, title lengths, bytes written."""
        part_files = [open(work / f"p{i}.{c}.txt", "w", encoding="utf-8", newline="\n") for i in range(n_part)]
        bufs: list[list[str]] = [[] for _ in range(n_part)]
        kinds = []
        title_lens = []
        doc_bytes = 0
        buffered = 0

        def flush() -> None:
            for f, buf in zip(part_files, bufs):
                if buf:
                    f.write("".join(buf))
                    buf.clear()

        try:
            for i in range(bounds[c], bounds[c + 1]):
                d = ordered[i]
                kinds.append(KIND_LETTER[d.kind])
                title_lens.append(_b36(min(len(normalize(d.title)), 35)))
                doc = f" {i:0{width}d} "
                for field, parts, name, pinyin in (
                    ("0", (d.title,), d.kind == "speaker", True),
                    ("1", tuple(d.speakers), True, True),
                    ("2", tuple(d.keywords), False, True),
                    ("3", tuple(d.headings), False, False),
                ):
                    tail = " " + field + doc
                    postings = _field_postings(parts, name, pinyin)
                    for key, h, rest in postings:
                        bufs[h & mask].append(key + tail + rest + "\n")
                    buffered += len(postings)
                buffered += _body_lines(d.body + SEP + d.summary, " 4" + doc, bufs, mask)
                if buffered > _FLUSH_RECORDS:
                    flush()
                    buffered = 0
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
                _write(idx / "d" / f"{i}.js", data)
                body = _js("b", i, {"b": d.body})
                _write(idx / "b" / f"{i}.js", body)
                doc_bytes += len(data) + len(body)
            flush()
        finally:
            for f in part_files:
                f.close()
        (work / f"c{c}.txt").write_text(f"{''.join(kinds)}\t{''.join(title_lens)}\t{doc_bytes}", "utf-8")

    map_items(n_chunks, chunk)
    kinds = []
    title_lens = []
    for c in range(n_chunks):
        k, t, n = (work / f"c{c}.txt").read_text("utf-8").split("\t")
        kinds.append(k)
        title_lens.append(t)
        stats.doc_bytes += int(n)
    log.debug("search pass 1 (%d chunks, %d scratch files each): %.1f s", n_chunks, n_part,
              time.perf_counter() - t0)

    def partition(p: int) -> None:
        """Pass 2, scratch files ``p<p>.*.txt`` → ``v<p>.txt`` ("key\\tvalue" lines) and
        ``v<p>.n``: their size in the index and their count."""
        lines = _read_parts(work / f"p{p}.{c}.txt" for c in range(n_chunks))
        b36 = [_b36(n) for n in range(len(ordered) + 1)]
        total = 0
        keys = 0
        buf = []
        for key, value in _encode_partition(lines, b36):
            total += len(key.encode()) + len(value) + 6
            keys += 1
            buf.append(key + "\t" + value + "\n")
        del lines
        with open(work / f"v{p}.txt", "w", encoding="utf-8", newline="\n") as out:
            out.write("".join(buf))
        (work / f"v{p}.n").write_text(f"{total} {keys}", "utf-8")

    map_items(n_part, partition)
    total = 0
    for p in range(n_part):
        size, keys = (work / f"v{p}.n").read_text("utf-8").split()
        total += int(size)
        stats.keys += int(keys)
    n_shards = max(1, -(-total // shard_bytes))
    stats.shards = n_shards
    log.debug("search pass 2 (%d keys): %.1f s", stats.keys, time.perf_counter() - t0)

    # Pass 3: values → buckets of shards (one file per bucket and partition) → shard files.
    n_buckets = max(1, -(-total // _BUCKET_BYTES))

    def spread(p: int) -> None:
        """Pass 3a, ``v<p>.txt`` → ``q<bucket>.<p>.txt`` ("shard\\tkey\\tvalue" lines)."""
        bufs: list[list[str]] = [[] for _ in range(n_buckets)]
        path = work / f"v{p}.txt"
        with open(path, encoding="utf-8", newline="\n") as f:
            for line in f:
                shard = _fnv(line[: line.index("\t")]) % n_shards
                bufs[shard % n_buckets].append(f"{shard}\t{line}")
        path.unlink()
        for q, buf in enumerate(bufs):
            with open(work / f"q{q}.{p}.txt", "w", encoding="utf-8", newline="\n") as out:
                out.write("".join(buf))

    def bucket(q: int) -> None:
        """Pass 3b, ``q<q>.*.txt`` → shard files ``n ≡ q (mod buckets)``, ``s<q>.n``: their bytes."""
        shards: dict[int, list[tuple[str, str]]] = {}
        for line in _read_parts(work / f"q{q}.{p}.txt" for p in range(n_part)):
            shard, key, value = line.split("\t")
            shards.setdefault(int(shard), []).append((key, value))
        size = 0
        for n in range(q, n_shards, n_buckets):
            data = _js("s", n, dict(sorted(shards.pop(n, ()))))
            _write(idx / "s" / f"{n}.js", data)
            size += len(data)
        (work / f"s{q}.n").write_text(str(size), "utf-8")

    map_items(n_part, spread)
    map_items(n_buckets, bucket)
    for q in range(n_buckets):
        stats.index_bytes += int((work / f"s{q}.n").read_text("utf-8"))
    manifest = {
        "v": 1,
        "n": len(ordered),
        "kinds": "".join(kinds),
        "tl": "".join(title_lens),
        "ns": n_shards,
    }
    data = _js("m", 0, manifest)
    _write(idx / "m.js", data)
    stats.index_bytes += len(data)
    log.debug("search pass 3 (%d shards): %.1f s", n_shards, time.perf_counter() - t0)
    return stats


def build_index(docs: list[SearchDoc], *, shard_bytes: int = 16000) -> tuple[dict[str, bytes], IndexStats]:
    """Build every index file for ``docs`` in memory (small hubs, tests, the dev site).

    Same files as :func:`write_index` (which it runs in a temporary folder).

    Args:
        docs: all searchable documents of the hub.
        shard_bytes: see :func:`write_index`.

    Returns:
        ``(files, stats)``: ``files`` maps site-relative paths (``search/idx/...``)
        to file contents; ``stats`` holds counts and byte totals.

    Raises:
        ValueError: a document has an unknown ``kind``.
    """
    with tempfile.TemporaryDirectory(prefix="jiangtang-search-") as tmp:
        root = Path(tmp)
        stats = write_index(docs, root, shard_bytes=shard_bytes)
        files = {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "search" / "idx").rglob("*.js"))
        }
    return files, stats
