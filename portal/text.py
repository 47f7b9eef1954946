"""Text from outside made safe to keep and show: one place that knows which invisible characters can mislead."""

import re
import unicodedata

__all__ = ["BIDI_CONTROLS", "safe_filename", "strip_bidi_and_controls", "unit_in_sentence"]

# Characters that reorder the text around them, so that "policy<U+202E>fdp.exe" reads as "policyexe.pdf".
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"]
)


def strip_bidi_and_controls(text: str, keep: str = "") -> str:
    """`text` without bidi controls, control characters (C0, DEL, C1), other invisible format characters (zero-width
    spaces, soft hyphens), lone surrogates or noncharacters (U+FFFE and the like, which no text holds and XML, so an
    XLSX file, refuses); characters in `keep` (say "\\n\\t" for a spreadsheet cell) stay."""
    return "".join(
        char
        for char in text
        if char in keep
        or (char not in BIDI_CONTROLS and unicodedata.category(char) not in ("Cc", "Cf", "Cs") and not _noncharacter(char))
    )


def _noncharacter(char: str) -> bool:
    """Unicode's 66 noncharacters: U+FDD0 to U+FDEF, and the last two code points of every plane."""
    point = ord(char)
    return 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


# Characters that a file system, a ZIP reader or a Content-Disposition header treats specially.
_UNSAFE_IN_FILENAMES = re.compile(r'[<>:"/\\|?*;%]+')


def safe_filename(name: str, limit: int = 100, fallback: str = "file") -> str:
    """A file name a browser sent, safe to store, show, put in a ZIP and offer as a download name: the portal's one
    sanitiser. Only the last part of a path (browsers may send C:\\fakepath\\...); no bidi, control, unassigned or
    private characters; each run of the characters above becomes one `_`; no leading or trailing dots or spaces; at most
    `limit` characters, keeping a short extension; `fallback` when nothing is left."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = strip_bidi_and_controls(unicodedata.normalize("NFC", name))
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cs", "Co", "Cn"))
    name = " ".join(_UNSAFE_IN_FILENAMES.sub("_", name).split()).strip(" .")
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: limit - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:limit].rstrip(" .")
    return name or fallback


def unit_in_sentence(unit: str) -> str:
    """A measure's unit as it reads after a figure: "Number of trees" gives "trees" (20 trees, not 20 number of
    trees); a first word in capitals only because it starts the unit is lowered, an acronym (FTE, CO2e) is not."""
    text = unit.strip()
    if text.lower().startswith("number of "):
        text = text[len("number of ") :]
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and not first[1:2].isupper():
        text = text[:1].lower() + text[1:]
    return text
