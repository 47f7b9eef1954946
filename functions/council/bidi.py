"""Text that suppliers typed, shown on council pages with any bidi controls in it kept to itself.

A name holding U+202E (right-to-left override) would turn "evil" into "live", and the rest of the line with it.
Every value a council page outputs that holds a bidi control is wrapped in an isolate (U+2068 … U+2069), closed
as often as the text opened one, and any stray closer dropped; so whatever it does, it does only to itself.
Export files drop the characters instead (functions/exports/cells.py).
"""

import re

from markupsafe import Markup

from portal.text import BIDI_CONTROLS

_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
_OPENS_ISOLATE, _CLOSES_ISOLATE = "\u2066\u2067\u2068", "\u2069"


def isolate(value):
    """`value` in its own isolate if it holds a bidi control; HTML already built (Markup) and anything else as it is."""
    if not isinstance(value, str) or isinstance(value, Markup) or not _BIDI.search(value):
        return value
    kept, depth = [], 0
    for character in value:
        if character == _CLOSES_ISOLATE:
            if not depth:
                continue  # would close our isolate early
            depth -= 1
        elif character in _OPENS_ISOLATE:
            depth += 1
        kept.append(character)
    return "\u2068" + "".join(kept) + _CLOSES_ISOLATE * (depth + 1)


def install(app) -> None:
    """Every `{{ … }}` in every template goes through isolate, after any finalize the app already had."""
    before = app.jinja_env.finalize
    app.jinja_env.finalize = (lambda value: isolate(before(value))) if before else isolate
