"""Where the Streamlit app's files are: `app.py`, `pages/` and `.streamlit/config.toml`.

`python -m attnviz app` and every replica of `python -m attnviz serve` start the app found
here, so there is one place to change when the files move (an installed package).
"""

from __future__ import annotations

from pathlib import Path


def app_script() -> Path:
    """The app's entry point `app.py` (in a checkout: beside the `attnviz` package).

    Streamlit reads `.streamlit/config.toml` from the script's folder, so the app's own
    settings apply whatever the current directory is.
    """
    script = Path(__file__).resolve().parent.parent / "app.py"
    if not script.is_file():
        raise ValueError(f"The app's entry point was not found at {script}.")
    return script
