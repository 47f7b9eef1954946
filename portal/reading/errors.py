"""Mistakes in content/, reported so that a council editor can find and fix them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake: the file, where in it (when known), and what is wrong."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        what = f"'{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"


class ContentError(Exception):
    """The content could not be loaded; every problem found is listed, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            "The content has {} problem{}:\n".format(len(problems), "" if len(problems) == 1 else "s")
            + "\n".join(f"- {p}" for p in problems)
        )


def flatten_messages(messages, path=()):
    """marshmallow's nested error dict, as (path, message) pairs."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from flatten_messages(value, path if key == "_schema" else path + (key,))
    else:
        for message in messages:
            yield path, message.rstrip(".")
