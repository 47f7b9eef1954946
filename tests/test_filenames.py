"""The portal's one filename sanitiser (portal/text.py), which evidence names, ZIP entries and download names all use."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.text import BIDI_CONTROLS, safe_filename


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=20, max_value=200))
def test_any_name_comes_out_safe(name, limit):
    safe = safe_filename(name, limit=limit)
    assert safe and len(safe) <= limit
    assert not set(safe) & set('<>:"/\\|?*;%') and not set(safe) & BIDI_CONTROLS
    assert all(unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn") for char in safe)
    assert safe == safe.strip(" .") and safe not in (".", "..")


@given(st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=30))
def test_a_plain_name_is_kept_as_it_is(stem):
    name = unicodedata.normalize("NFC", stem) + ".pdf"
    assert safe_filename(name, limit=100) == name
