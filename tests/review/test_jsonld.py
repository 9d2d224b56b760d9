"""review.jsonld: JSON that can sit inside a <script> element as it is."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from review.jsonld import script_safe_json


def test_angle_brackets_and_ampersands_are_unicode_escapes() -> None:
    out = script_safe_json({"text": "</script><!-- & -->"})
    assert out == '{"text": "\\u003C/script\\u003E\\u003C!-- \\u0026 --\\u003E"}'


def test_non_ascii_text_stays_readable() -> None:
    assert script_safe_json({"text": "Zelensky’s “request”"}) == '{"text": "Zelensky’s “request”"}'


@given(st.dictionaries(st.text(), st.text() | st.integers() | st.none()))
def test_output_parses_back_to_the_input_and_holds_no_markup(data: dict[str, object]) -> None:
    out = script_safe_json(data)
    assert json.loads(out) == data
    assert not {"<", ">", "&"} & set(out)
