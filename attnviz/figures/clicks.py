"""Clicks on heatmaps: Plotly returns no click for a heatmap cell, so an invisible square
marker over each clickable place carries the click (and often the hover) with its customdata.
"""

from __future__ import annotations

from typing import Any

# The layout every clickable figure uses: a click selects (and reaches Streamlit), no drag
# zoom, and the nearest marker answers wherever the pointer is, however wide a cell is drawn.
CLICKABLE_LAYOUT = {"clickmode": "event+select", "dragmode": False, "hoverdistance": -1}


def click_markers(x: Any, y: Any, customdata: Any, size: int, **trace: Any) -> dict:
    """A scatter trace of invisible square markers of `size` px at (`x`, `y`); `trace` adds or
    overrides trace properties (`marker` is merged into the marker's)."""
    marker = {"symbol": "square", "size": size, "opacity": 0.0, **trace.pop("marker", {})}
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "markers",
        "marker": marker,
        "customdata": customdata,
        "showlegend": False,
        **trace,
    }
