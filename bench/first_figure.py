"""How long a new session waits for its first figure on a warm server (issue 16, item 11).

Starts `streamlit run app.py` on a free 127.0.0.1 port, opens each page once so that its
models are loaded and its default run is cached (the warm server), then opens the page in
`--sessions` new sessions one after the other, as a new browser tab does: a WebSocket, a
rerun with the page's name and no widget values. It prints, per page, the time from the
rerun request to the first Plotly figure and to the end of the script, beside the same for a
rerun of a session that is already open (the baseline: the page's own cost once a session
exists). Then the same in headless Chromium: a new browser context (a new tab with nothing
cached) per session, timed from the navigation to the first Plotly figure drawn (in the page
or in a clickable figure's component frame), beside a reload of an open tab.

Run: python bench/first_figure.py [--sessions 5] [--pages translate heads compare]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CHROMIUM, CHROMIUM_ARGS, start_logged_server, stop_server

FINISHED = 0  # ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


async def open_once(url: str, page: str, then_rerun: bool = False) -> tuple[float, float, float]:
    """A new session on `page`: seconds to its first figure and to the end of the script;
    with `then_rerun`, also the seconds of one more rerun of the same session (else 0)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    socket = await websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
    )

    async def rerun(hash_: str) -> tuple[float, float, str, str]:
        request = BackMsg()
        request.rerun_script.page_name = page
        request.rerun_script.page_script_hash = hash_
        started = time.perf_counter()
        await socket.send(request.SerializeToString())
        first_figure, query = 0.0, ""
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(socket.recv(), 120))
            kind = message.WhichOneof("type")
            if kind == "navigation":
                hash_ = message.navigation.page_script_hash
            elif kind == "page_info_changed":
                query = message.page_info_changed.query_string
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                if is_figure(message.delta.new_element):
                    first_figure = first_figure or time.perf_counter() - started
            elif kind == "script_finished":
                if message.script_finished != FINISHED:
                    continue  # a rerun the page asked for itself; its answer follows
                return first_figure, time.perf_counter() - started, hash_, query

    try:
        first, finished, hash_, _ = await rerun("")
        again = (await rerun(hash_))[1] if then_rerun else 0.0
    finally:
        await socket.close()
    if not first:
        raise RuntimeError(f"/{page} sent no figure to a new session")
    return first, finished, again


def is_figure(element) -> bool:
    """A Plotly figure: Streamlit's own, or a clickable one (our component)."""
    kind = element.WhichOneof("type")
    if kind == "component_instance":
        return element.component_instance.component_name.endswith(".clickable")
    return kind == "plotly_chart"


async def measure(url: str, pages: list[str], sessions: int) -> None:
    for page in pages:
        started = time.perf_counter()
        await open_once(url, page)  # the warm-up: models loaded, default run cached
        print(f"/{page}: warm-up (models loaded) {time.perf_counter() - started:.1f} s")
        firsts, finishes, reruns = [], [], []
        for _ in range(sessions):
            first, finished, again = await open_once(url, page, then_rerun=True)
            firsts.append(first)
            finishes.append(finished)
            reruns.append(again)
        print(
            f"/{page}: new session, first figure median {statistics.median(firsts):.2f} s "
            f"(max {max(firsts):.2f}), script done {statistics.median(finishes):.2f} s; "
            f"baseline, a rerun of an open session {statistics.median(reruns):.2f} s"
        )


# A figure drawn by Plotly, in the page or inside a clickable figure's component frame.
DRAWN = """() => Array.from(document.querySelectorAll('.js-plotly-plot, iframe')).some((e) => {
  if (e.tagName !== 'IFRAME') return !!e._fullData;
  try { return !!e.contentDocument.querySelector('.js-plotly-plot')?._fullData; }
  catch (error) { return false; }
})"""


def browser_seconds(context, url: str) -> float:
    """Seconds from navigating a tab of `context` to `url` until a Plotly figure is drawn."""
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN, polling="raf", timeout=120_000)
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def measure_browser(url: str, pages: list[str], sessions: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        open_tab = browser.new_context(viewport={"width": 1280, "height": 720})
        for page in pages:
            browser_seconds(open_tab, f"{url}/{page}")  # the page's first load
            fresh = []
            for _ in range(sessions):
                context = browser.new_context(viewport={"width": 1280, "height": 720})
                fresh.append(browser_seconds(context, f"{url}/{page}"))
                context.close()
            again = [browser_seconds(open_tab, f"{url}/{page}") for _ in range(sessions)]
            print(
                f"/{page} in Chromium: new tab, first figure drawn median "
                f"{statistics.median(fresh):.2f} s (max {max(fresh):.2f}); "
                f"baseline, the same tab loaded again {statistics.median(again):.2f} s"
            )
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--pages", nargs="+", default=["translate", "heads", "compare"])
    args = parser.parse_args()
    server, url, log, _ = start_logged_server("attnviz-first-figure-", post_script_gc=False)
    try:
        asyncio.run(measure(url, args.pages, args.sessions))
        measure_browser(url, args.pages, args.sessions)
    finally:
        stop_server(server)
    print(f"server log: {log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
