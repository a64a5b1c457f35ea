"""One way to share text between docstrings: ``{{name}}`` placeholders filled by :func:`compose`.

Several classes document the same parameters (a sampler's plan, a cleaning rule's classes, an
ensemble's prior); the text lives once, as a constant beside them, and each docstring names it
with a placeholder. Double braces, because docstrings hold LaTeX (``\\mathrm{...}``) whose
single braces ``str.format`` would take for fields.
"""

from __future__ import annotations

import re

__all__ = ["compose"]

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def compose(template: str, **fragments: str) -> str:
    """``template`` with every ``{{name}}`` replaced by ``fragments[name]``.

    A placeholder without a fragment, or a fragment no placeholder asks for, is an error: a
    docstring never ships with a hole, nor loses a paragraph without a word.
    """
    asked = set(_PLACEHOLDER.findall(template))
    if asked != set(fragments):
        raise KeyError(f"placeholders {sorted(asked)} and fragments {sorted(fragments)} differ")
    return _PLACEHOLDER.sub(lambda match: fragments[match.group(1)], template)
