"""Text from outside made safe to keep and show: one place that knows which invisible characters can mislead."""
import unicodedata

__all__ = ["BIDI_CONTROLS", "strip_bidi_and_controls"]

# Characters that reorder the text around them, so that "policy<U+202E>fdp.exe" reads as "policyexe.pdf".
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"])


def strip_bidi_and_controls(text: str, keep: str = "") -> str:
    """`text` without bidi controls, control characters (C0, DEL, C1) or other invisible format characters
    (zero-width spaces, soft hyphens); characters in `keep` (say "\\n\\t" for a spreadsheet cell) stay."""
    return "".join(
        char for char in text
        if char in keep or (char not in BIDI_CONTROLS and unicodedata.category(char) not in ("Cc", "Cf")))
