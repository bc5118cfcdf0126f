"""Where the Streamlit app's files are: `app.py`, `pages/` and `.streamlit/config.toml`.

`python -m attnviz app` and every replica of `python -m attnviz serve` start the app found
here, so there is one place to change when the files move (an installed package).
"""

from __future__ import annotations

from pathlib import Path


def app_script() -> Path:
    """The app's entry point `app.py`: in an installed wheel `attnviz/_app/app.py` (the
    wheel maps the checkout's `app.py` and `pages/` there), in a checkout beside the package.

    Streamlit reads `.streamlit/config.toml` from the script's folder, so the app's own
    settings apply whatever the current directory is.
    """
    package = Path(__file__).resolve().parent
    for script in (package / "_app" / "app.py", package.parent / "app.py"):
        if script.is_file():
            return script
    raise ValueError(f"The app's entry point was not found beside {package}.")
