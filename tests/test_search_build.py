"""The search index builder's output is pinned byte for byte, and the streaming writer
and the disk cache produce exactly the files of :func:`jiangtang.search.build_search`."""

from __future__ import annotations

import hashlib

import pytest

from jiangtang.search import SearchDoc, build_search_with_stats

# A fixed, varied corpus: every kind, dated and undated, same-date ties, pinyin names,
# traditional and full-width characters, Latin/digit runs, long bodies (positions past
# 32 and 36, bigrams occurring once, a few times and often), empty fields.
_POOL = "党员冬训联盟讲高标准农田乡村振兴单立仇红梅曾国华長樂鎮黨員建设发展坚持农业优先快递小哥ＡＰＰ２０２５年，。、！"


def _text(seed: int, n: int) -> str:
    x = seed * 2654435761 % 4294967296 or 1
    out = []
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        out.append(_POOL[(x >> 8) % len(_POOL)])
    return "".join(out)


def golden_docs() -> list[SearchDoc]:
    """80 documents built from a fixed pseudo-random sequence (no ``random``: stable across versions)."""
    kinds = ("lecture", "speaker", "session", "page")
    docs = []
    for i in range(80):
        kind = kinds[i % 4]
        date = None if kind in ("speaker", "page") else f"202{i % 5}-0{1 + i % 9}-1{i % 7}"
        docs.append(SearchDoc(
            url=f"{kind}s/d{i}/" + (f"#s-{i}" if kind == "session" else ""),
            kind=kind,
            title=_text(i, 4 + i % 11),
            date=date,
            speakers=tuple(_text(i + 1000 + k, 2 + k % 2) for k in range(i % 3)),
            headings=tuple(_text(i + 2000 + k, 3 + k) for k in range(i % 4)),
            body=_text(i + 3000, (i * 37) % 400) + ("乡村振兴" * (i % 6)),
            keywords=tuple(_text(i + 4000 + k, 2 + k) for k in range(i % 5)),
            summary=_text(i + 5000, i % 13),
        ))
    docs.append(SearchDoc(url="empty/", kind="page", title=""))
    return docs


def _digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode() + b"\0" + files[path] + b"\0")
    return h.hexdigest()


def _index_files(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p: v for p, v in files.items() if p.startswith("search/idx/")}


#: SHA-256 of every ``search/idx/`` file for :func:`golden_docs`, computed with the
#: original (dictionary-based) builder: the rewrite must not change a byte.
GOLDEN = {16000: "475328c935bb4ffe079c383033e7a626fa3179ef7c711ccd625fc75e1813c344", 300: "cf9091410b6ea6901aee3bbeab9c74175c72eed8cb5c9b753de0cb4f54ecaf96"}


def test_index_bytes_are_pinned():
    for shard_bytes, digest in GOLDEN.items():
        files, stats = build_search_with_stats(golden_docs(), shard_bytes=shard_bytes)
        assert _digest(_index_files(files)) == digest, shard_bytes
        assert stats.docs == 81


def _tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_write_search_streams_the_same_files(tmp_path):
    from jiangtang.search import build_search, search_assets, write_search

    stats = write_search(golden_docs(), tmp_path, shard_bytes=300)
    files = build_search(golden_docs())
    written = _tree(tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # scratch folder removed
    assert _digest(written) == GOLDEN[300] and stats.shards == 423
    assert set(files) == set(_index_files(build_search_with_stats(golden_docs())[0])) | set(search_assets())
    # a second run into the same folder replaces the index (fewer shards: none left over)
    write_search(golden_docs(), tmp_path)
    assert _digest(_tree(tmp_path)) == GOLDEN[16000]


def test_cached_search_dir_reuses_and_prunes(tmp_path, monkeypatch):
    import jiangtang.search as search
    import jiangtang.search.index as index
    from jiangtang.cache import CACHE_DIR

    monkeypatch.delenv("JIANGTANG_CACHE", raising=False)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", "utf-8")
    docs = golden_docs()
    first = search.cached_search_dir(config, docs)
    assert first.parent == tmp_path / CACHE_DIR / "search"
    assert _digest(_tree(first)) == GOLDEN[16000]

    def boom(*args, **kwargs):
        raise AssertionError("index rebuilt although nothing changed")

    monkeypatch.setattr(search, "write_index", boom)
    assert search.cached_search_dir(config, docs) == first
    monkeypatch.undo()
    monkeypatch.delenv("JIANGTANG_CACHE", raising=False)

    # an interrupted build leaves neither an entry nor its scratch folder
    def interrupted(docs, out_dir, **kwargs):
        (out_dir / "search" / "idx").mkdir(parents=True)
        (out_dir / "search" / "idx" / "m.js").write_text("half", "utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(search, "write_index", interrupted)
    with pytest.raises(KeyboardInterrupt):
        search.cached_search_dir(config, docs[:-1])
    monkeypatch.undo()
    monkeypatch.delenv("JIANGTANG_CACHE", raising=False)
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]

    # every change of the documents is a new entry; only the newest few are kept
    seen = []
    for i in range(search.KEEP_CACHED + 2):
        changed = docs[:-1] + [SearchDoc(url="empty/", kind="page", title=f"第{i}页")]
        seen.append(search.cached_search_dir(config, changed))
    assert len(set(seen)) == len(seen) and first not in seen
    left = sorted(first.parent.iterdir())
    assert len(left) == search.KEEP_CACHED and seen[-1] in left
    files, _ = build_search_with_stats(changed)
    assert _tree(seen[-1]) == _index_files(files)


def test_cached_search_dir_without_cache_is_a_fresh_folder(tmp_path, monkeypatch):
    import shutil

    from jiangtang.search import cached_search_dir

    monkeypatch.setenv("JIANGTANG_CACHE", "0")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", "utf-8")
    out = cached_search_dir(config, golden_docs())
    try:
        assert not (tmp_path / ".cache").exists() and out.name.startswith("jiangtang-search-")
        assert _digest(_tree(out)) == GOLDEN[16000]
    finally:
        shutil.rmtree(out)


# --- The index build as independent items (several cores) -----------------------------

def _small_rounds(monkeypatch):
    """Many partitions, chunks and buckets even for the small golden corpus, so every
    round really has several items (the output does not depend on these sizes)."""
    import jiangtang.search.index as index

    monkeypatch.setattr(index, "_LINES_PER_PARTITION", 500)
    monkeypatch.setattr(index, "_BUCKET_BYTES", 20_000)
    monkeypatch.setattr(index, "_CHUNKS", 7)


def test_items_in_any_order_give_the_same_bytes(tmp_path, monkeypatch):
    from jiangtang.search import write_search

    _small_rounds(monkeypatch)
    rounds = []

    def backwards(count, fn):
        rounds.append(count)
        for i in reversed(range(count)):
            fn(i)

    for shard_bytes, digest in GOLDEN.items():
        out = tmp_path / str(shard_bytes)
        out.mkdir()
        serial = write_search(golden_docs(), out, shard_bytes=shard_bytes)
        assert _digest(_tree(out)) == digest
        rounds.clear()
        reversed_stats = write_search(golden_docs(), out, shard_bytes=shard_bytes, map_items=backwards)
        assert _digest(_tree(out)) == digest, shard_bytes
        assert reversed_stats == serial
        assert len(rounds) == 4 and min(rounds) > 1, rounds  # chunks, partitions, spreading, buckets
        assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_items_on_two_processes_give_the_same_bytes(tmp_path, monkeypatch):
    import os

    from jiangtang.search import build_search_with_stats, cached_search_dir, write_search
    from jiangtang.workers import can_fork, share_work

    if not can_fork():
        pytest.skip("no fork on this system")
    _small_rounds(monkeypatch)
    marks = tmp_path / "marks"
    marks.mkdir()
    used = []

    def two_processes(count, fn):
        parent = os.getpid()

        def item(i):
            fn(i)
            (marks / f"{os.getpid()}.{len(used)}.{i}").touch()

        def wait_for_helper():  # the parent starts only once a helper has done an item
            for _ in range(2000):
                if any(not p.name.startswith(f"{parent}.") for p in marks.iterdir()):
                    return
                __import__("time").sleep(0.005)

        used.append(share_work(count, item, batch=1, processes=2,
                               first=wait_for_helper if len(used) == 0 else None))

    out = tmp_path / "site"
    out.mkdir()
    stats = write_search(golden_docs(), out, shard_bytes=300, map_items=two_processes)
    assert _digest(_tree(out)) == GOLDEN[300]
    assert stats == build_search_with_stats(golden_docs(), shard_bytes=300)[1]
    assert used == [2, 2, 2, 2]
    pids = {p.name.split(".")[0] for p in marks.iterdir()}
    assert str(os.getpid()) in pids and len(pids) > 1  # items ran here and in (per-round) helpers
    monkeypatch.setenv("JIANGTANG_CACHE", "1")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", "utf-8")
    folder = cached_search_dir(config, golden_docs(), map_items=two_processes)
    assert _digest(_tree(folder)) == GOLDEN[16000]
