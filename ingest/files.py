"""Reading a whole source file, gunzipping it when it is gzip data, with errors that name it."""

from __future__ import annotations

import gzip
import os
import zlib

from graph.errors import IngestError

__all__ = ["GZIP_MAGIC", "read_bytes"]

GZIP_MAGIC = b"\x1f\x8b"


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, gunzipped when they are gzip data (detected by content, not name)."""
    name = os.fsdecode(os.fspath(path))
    try:
        with open(path, "rb") as stream:
            raw = stream.read()
        return gzip.decompress(raw) if raw[:2] == GZIP_MAGIC else raw
    except EOFError as exc:
        raise IngestError(name, f"truncated or corrupt gzip data (truncated gzip stream: {exc})") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise IngestError(name, f"truncated or corrupt gzip data (corrupt gzip stream: {exc})") from exc
    except OSError as exc:
        raise IngestError(name, f"cannot read the file: {exc.strerror or exc}") from exc
