"""Generated pages kept on disk, not in memory.

A hub of 10,000 lectures generates about 15,000 pages holding some 140 million
characters of Markdown (about 300 MB as Python strings). :class:`PageStore` is
the ``source path → Markdown`` mapping the page generators fill
(:class:`jiangtang.pages.Pages`): each value is written to a file in a private
temporary folder as soon as it is set and read back when asked for, so only the
paths stay in memory. Renderers can read the files directly
(:meth:`PageStore.file`: the MkDocs plugin hands them to MkDocs as the pages'
source files).

The folder is deleted when the store is garbage-collected or the interpreter
exits (:func:`weakref.finalize`); a forked helper process leaves it alone
(it ends with ``os._exit``).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import weakref
from collections.abc import Iterator, MutableMapping
from pathlib import Path, PurePosixPath

log = logging.getLogger(__name__)


class PageStore(MutableMapping):
    """A ``dict[str, str]`` of generated pages whose values live in files.

    Keys are site-relative POSIX source paths (``lectures/shi-jian-lun/index.md``);
    values are Markdown text, stored as UTF-8 bytes and read back unchanged
    (no newline translation). Iteration follows insertion order, like ``dict``.

    Args:
        prefix: name prefix of the temporary folder.

    Raises:
        ValueError: (on setting) a key that is absolute, empty or contains ``..``.
    """

    def __init__(self, prefix: str = "jiangtang-pages-") -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.folder), True)
        self._keys: dict[str, str] = {}  # key → SHA-256 of the stored bytes

    def file(self, key: str) -> Path:
        """The file holding page ``key`` (it exists once the page is set).

        Raises:
            ValueError: ``key`` is not a safe relative path.
        """
        parts = PurePosixPath(key).parts
        if not parts or key.startswith("/") or ".." in parts or "\\" in key:
            raise ValueError(f"not a relative page path: {key!r}")
        return self.folder.joinpath(*parts)

    def digest(self, key: str) -> str:
        """SHA-256 (hex) of page ``key``'s UTF-8 text, computed when it was set: a content key without reading
        the file back (the page cache uses it).

        Raises:
            KeyError: no such page.
        """
        return self._keys[key]

    def __setitem__(self, key: str, value: str) -> None:
        path = self.file(key)
        if key not in self._keys:
            path.parent.mkdir(parents=True, exist_ok=True)
        data = value.encode("utf-8")
        path.write_bytes(data)
        self._keys[key] = hashlib.sha256(data).hexdigest()

    def __getitem__(self, key: str) -> str:
        if key not in self._keys:
            raise KeyError(key)
        return self.file(key).read_bytes().decode("utf-8")

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        self.file(key).unlink(missing_ok=True)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"PageStore({len(self)} pages in {self.folder})"

    def close(self) -> None:
        """Delete the folder now (the store is empty afterwards)."""
        self._keys.clear()
        self._finalizer()


__all__ = ["PageStore"]
