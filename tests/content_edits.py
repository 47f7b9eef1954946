"""Helpers for tests that break a copy of the content and read the loader's message."""

from pathlib import Path

import pytest

from portal.content import ContentError, load_content


def problems(content_dir: Path) -> str:
    """The loader's message for what is wrong with the content; the test fails if it loads."""
    with pytest.raises(ContentError) as raised:
        load_content(content_dir)
    return str(raised.value)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file, failing loudly if the default content has changed under the test."""
    text = path.read_text()
    assert old in text, f"the test expected {old!r} in {path.name}"
    path.write_text(text.replace(old, new, 1))
