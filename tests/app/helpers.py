"""What the AppTests share: opening a page with URL values, reading its Plotly figures."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from attnviz.figures import token_from_label

PAGES = Path(__file__).resolve().parents[2] / "pages"


def open_page(page: str, timeout: float = 180, **params: str) -> AppTest:
    """Run `pages/<page>.py` once with the given URL query values."""
    app = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=timeout)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def figures(app: AppTest) -> list[dict]:
    """Every Plotly figure on the page, in order, as the JSON sent to the browser."""
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def figures_by_key(app: AppTest, prefix: str) -> dict[str, dict]:
    """Figures by their widget key with `prefix` removed (e.g. "translate." -> "alignment")."""
    return {
        chart.proto.id.split(prefix)[-1]: json.loads(chart.proto.spec)
        for chart in app.get("plotly_chart")
    }


def chart(app: AppTest, key: str) -> dict:
    """The figure drawn with widget key `key` (e.g. "heads.main")."""
    keys = {chart.proto.id.rsplit("-", 1)[-1]: chart for chart in app.get("plotly_chart")}
    if key not in keys:
        raise AssertionError(f"no figure {key!r} on the page; there are {sorted(keys)}")
    return json.loads(keys[key].proto.spec)


def decode(array) -> np.ndarray:
    """A Plotly array (base64 typed array or list) as numpy."""
    if isinstance(array, dict):
        values = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        return values.reshape([int(n) for n in str(shape).split(",")]) if shape else values
    return np.asarray(array, dtype=np.float32)


def z_of(figure: dict, trace: int = 0) -> np.ndarray:
    """A heatmap's values `[rows, columns]`."""
    data = figure["data"][trace]
    return decode(data["z"]).reshape(len(data["y"]), -1)


def ticks(figure: dict, axis: str = "x") -> list[str]:
    """A heatmap's axis labels as the tokens they show."""
    return [token_from_label(label) for label in figure["data"][0][axis]]


def widget(widgets, label: str):
    """The widget with this label among `app.selectbox`, `app.button`, ..."""
    return next(item for item in widgets if item.label == label)
