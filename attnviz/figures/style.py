"""Colours shared by every figure: colour-blind safe scales, linear or logarithmic colour."""

from __future__ import annotations

import dataclasses

import numpy as np
import plotly.colors
import plotly.graph_objects as go

# Perceptually ordered scales that stay readable with the common colour-vision deficiencies.
COLOR_SCALES = {"viridis": "Viridis", "cividis": "Cividis", "magma": "Magma", "blues": "Blues"}
DEFAULT_SCALE = "viridis"
SELECTED_COLOR = "#e4572e"
MASKED_COLOR = "#d0d0d0"  # masked cells are drawn in this grey, never as a weight of 0
LOG_FLOOR = 1e-4  # weights below this share the lowest colour in logarithmic mode
LOG_TICKS = {-4: "≤0.0001", -3: "0.001", -2: "0.01", -1: "0.1", 0: "1"}
# An empty template: Streamlit styles the chart itself, and Plotly's default template would
# otherwise be most of a small figure's bytes.
NO_TEMPLATE = go.layout.Template()


@dataclasses.dataclass(frozen=True)
class Colouring:
    """How weights become colours."""

    scale: str = DEFAULT_SCALE  # a key of COLOR_SCALES
    log: bool = False  # logarithmic colour: small weights become visible

    def __post_init__(self) -> None:
        if self.scale not in COLOR_SCALES:
            allowed = ", ".join(COLOR_SCALES)
            raise ValueError(f"Unknown colour scale {self.scale!r}; allowed: {allowed}.")

    @property
    def plotly_scale(self) -> str:
        return COLOR_SCALES[self.scale]

    def colour_values(self, weights: np.ndarray) -> np.ndarray:
        """The values that are coloured: weights in 0..1, or log10 weights in -4..0."""
        weights = np.asarray(weights, dtype=np.float32)
        if not self.log:
            return weights
        return np.log10(np.maximum(weights, LOG_FLOOR)).astype(np.float32)

    def unit_values(self, weights: np.ndarray) -> np.ndarray:
        """Colour position 0..1 of each weight under this colouring."""
        values = self.colour_values(weights)
        return (values - np.log10(LOG_FLOOR)) / -np.log10(LOG_FLOOR) if self.log else values

    @property
    def value_range(self) -> tuple[float, float]:
        return (float(np.log10(LOG_FLOOR)), 0.0) if self.log else (0.0, 1.0)

    def colorbar(self, title: str = "weight") -> dict:
        bar: dict = {"title": {"text": title + (" (log)" if self.log else "")}, "thickness": 14}
        if self.log:
            bar.update(tickvals=list(LOG_TICKS), ticktext=list(LOG_TICKS.values()))
        return bar


DEFAULT_COLOURING = Colouring()


def masked_level_scale(scale: str) -> list[list]:
    """A colour scale over 0..255 levels where level 0 is the masked grey.

    Levels 1..255 span the named scale, so quantised thumbnails keep masked cells distinct
    from a weight of 0.
    """
    stops = plotly.colors.get_colorscale(COLOR_SCALES[scale])
    start = 1 / 255
    result = [[0.0, MASKED_COLOR], [0.5 / 255, MASKED_COLOR]]
    result += [[start + (1 - start) * float(pos), colour] for pos, colour in stops]
    return result


def lesson_layout(
    figure: go.Figure, title: str, x_title: str, y_title: str, legend_y: float = -0.2
) -> go.Figure:
    """The plain layout of a lesson's line chart: title, axis titles, the legend below."""
    figure.update_layout(
        template=NO_TEMPLATE,
        title={"text": title},
        xaxis_title=x_title,
        yaxis_title=y_title,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": legend_y},
    )
    return figure
