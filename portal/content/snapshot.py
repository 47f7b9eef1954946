"""The content as loaded, checked and rendered when a Lambda package is built, saved in the package so that a cold
function reads one file instead of reading, checking and rendering content/ again (and importing the YAML and
marshmallow libraries to do it).

It is a pickle of the Content the build made from the same files it zips beside it, and it is used only when its
digest of content/ matches the files there, so a package always shows the content it holds. Only the build writes
it; nothing from outside the package is ever unpickled.
"""

import hashlib
import pickle
from pathlib import Path

from .model import Content

NAME = "content.pickle"  # at the root of a package, beside portal/ and content/


def content_digest(root: Path) -> str:
    """Changes whenever a file under `root` is added, removed, renamed or changed."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def snapshot(root: Path) -> bytes:
    """The content under `root`, loaded, checked and with every Markdown text rendered, as bytes that are the same
    for the same files."""
    from .loader import load_content

    return pickle.dumps((content_digest(root), load_content(root, render_all=True)), protocol=5)


def read_snapshot(path: Path, root: Path) -> Content | None:
    """The Content saved at `path` if it was made from the files now under `root`; None if there is none or not."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    digest, content = pickle.loads(data)  # noqa: S301 (written by the build into the same read-only package)
    return content if digest == content_digest(root) else None
