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


def drawn_charts(app: AppTest) -> list[tuple[str, str]]:
    """(element id, figure JSON) of every Plotly figure on the page in page order: the
    `st.plotly_chart`s and the clickable charts (a component, `attnviz.ui.clickable_chart`)."""
    found = []

    def walk(node) -> None:
        kind = getattr(node, "type", None)
        if kind == "plotly_chart":
            found.append((node.proto.id, node.proto.spec))
        elif kind == "component_instance" and node.proto.component_name.endswith(".clickable"):
            found.append((node.proto.id, json.loads(node.proto.json_args)["spec"]))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return found


def figures(app: AppTest) -> list[dict]:
    """Every Plotly figure on the page, in order, as the JSON sent to the browser."""
    return [json.loads(spec) for _, spec in drawn_charts(app)]


def figures_by_key(app: AppTest, prefix: str) -> dict[str, dict]:
    """Figures by their widget key with `prefix` removed (e.g. "translate." -> "alignment")."""
    return {element.split(prefix)[-1]: json.loads(spec) for element, spec in drawn_charts(app)}


def chart(app: AppTest, key: str) -> dict:
    """The figure drawn with widget key `key` (e.g. "heads.main")."""
    keys = {element.rsplit("-", 1)[-1]: spec for element, spec in drawn_charts(app)}
    if key not in keys:
        raise AssertionError(f"no figure {key!r} on the page; there are {sorted(keys)}")
    return json.loads(keys[key])


def click_chart(app: AppTest, key: str, customdata, context: str = "") -> AppTest:
    """Rerun as the browser does after a click on a point of the clickable chart `key`: the
    component's new value (what `clickable/index.html` sends) among the widget states."""
    ids = [element for element, _ in drawn_charts(app) if element.endswith(f"-{key}")]
    if not ids:
        raise AssertionError(f"no clickable figure {key!r} on the page")
    states = app._tree.get_widget_states()
    state = states.widgets.add()
    state.id = ids[0]
    state.json_value = json.dumps({"customdata": customdata, "context": context, "at": 1})
    return app._run(states)


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
