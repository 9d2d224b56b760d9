"""JSON for a ``<script type="application/ld+json">`` block (pure: no Django).

Inside a script element the HTML parser ends the element at the first
``</script``, whatever JSON quoting says. So ``<``, ``>`` and ``&`` are written
as ``\\u003C``, ``\\u003E`` and ``\\u0026`` (as Django's ``json_script`` does):
the JSON means the same, and no text in it can close the element or open a
comment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_safe_json(data: Mapping[str, object]) -> str:
    """``data`` as JSON that is safe to place between ``<script>`` tags as it is."""
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": ")).translate(_SCRIPT_ESCAPES)
