"""Read YAML and Markdown-with-front-matter files, keeping line numbers for error messages."""

from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor

from .errors import ContentError, Problem

FRONT_MATTER_FENCE = "---"
# libyaml's parser where PyYAML was built with it (its wheels are), else the pure-Python one; both keep line marks.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Source:
    """A parsed content file: its data, and a way to find the line of any field in it."""

    def __init__(self, display_name: str, data, node, line_offset: int = 0, body: str | None = None):
        self.name = display_name
        self.data = data
        self.body = body
        self._node = node
        self._line_offset = line_offset

    def line_of(self, path: tuple) -> int | None:
        """The line of the deepest part of `path` (keys and list indexes) that exists in the file."""
        node, line = self._node, None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if match is None:
                    break
                line, node = match[0].start_mark.line, match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line
            else:
                break
        if line is None and node is not None:
            line = node.start_mark.line
        return None if line is None else line + 1 + self._line_offset

    def problem(self, message: str, path: tuple = ()) -> Problem:
        field = ".".join(str(p) for p in path) or None
        return Problem(self.name, message, self.line_of(path), field)


def _parse(display_name: str, text: str, line_offset: int):
    try:
        node = yaml.compose(text, Loader=_YAML_LOADER)
        data = SafeConstructor().construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise ContentError([Problem(display_name, f"this is not valid YAML ({reason})", line)]) from None
    duplicates = list(_duplicate_keys(node))
    if duplicates:
        raise ContentError(
            [Problem(display_name, f"'{key}' is given twice; remove one", line + 1 + line_offset) for key, line in duplicates]
        )
    return data, node


def _duplicate_keys(node):
    """PyYAML silently keeps the last of two equal keys; an editor deserves to hear about it."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if key.value in seen:
                yield key.value, key.start_mark.line
            seen.add(key.value)
            yield from _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item)


def _read_text(path: Path, display_name: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(display_name, "the file is not saved as UTF-8 text")]) from None


def read_yaml(path: Path, display_name: str) -> Source:
    data, node = _parse(display_name, _read_text(path, display_name), 0)
    return Source(display_name, data, node)


def read_markdown(path: Path, display_name: str) -> Source:
    """A Markdown file that starts with YAML front matter between two '---' lines."""
    text = _read_text(path, display_name)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise ContentError(
            [Problem(display_name, "the file must start with front matter: a line '---', the fields, then another '---'", 1)]
        )
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise ContentError([Problem(display_name, "the front matter has no closing '---' line", 1)]) from None
    data, node = _parse(display_name, "".join(lines[1:end]), line_offset=1)
    return Source(display_name, data, node, line_offset=1, body="".join(lines[end + 1 :]))
