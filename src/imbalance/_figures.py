"""Matplotlib figures as PNG bytes, for the reports (matplotlib is imported by the caller's
plot, never by importing imbalance)."""

from __future__ import annotations

import io
from typing import Any

__all__ = ["figure_png"]


def figure_png(fig: Any) -> bytes:
    """``fig`` as PNG bytes (110 dpi, tight), closed afterwards."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
