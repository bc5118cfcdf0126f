"""A real pair: `python -m attnviz serve --replicas 2`, HAProxy in front of two Streamlit apps.

One module-scoped pair (tests/serve/conftest.py) serves the tests in order: the state file,
affinity of plain requests and of the WebSocket, then failover in Chromium (which kills one
replica), and last SIGTERM, which must stop the balancer and every replica.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlparse

import numpy as np
from websockets.sync.client import connect

from tests.browser.helpers import cli_maps, read_figure, tokens_of, wait_until_drawn
from tests.browser.test_heads_browser import PANEL_CENTRE

TEXT = "The students read the long story aloud."


def get(url: str, cookie: str = "") -> tuple[str, str]:
    """(X-Attnviz-Replica, the affinity cookie to send next)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=20) as response:
        set_cookie = response.headers.get("Set-Cookie", "")
        response.read()
        return response.headers["X-Attnviz-Replica"], set_cookie.split(";")[0] or cookie


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_the_state_file_names_the_balancer_and_two_loopback_replicas(serving):
    state = serving["state"]
    assert set(state) == {"balancer", "replicas"}
    assert {"port", "pid"} <= set(state["balancer"])
    assert state["balancer"]["url"] == f"http://127.0.0.1:{state['balancer']['port']}"
    assert [r["name"] for r in state["replicas"]] == ["replica-1", "replica-2"]
    for replica in state["replicas"]:
        assert {"name", "port", "pid"} <= set(replica) and replica["host"] == "127.0.0.1"
        assert alive(replica["pid"])
        health = f"http://127.0.0.1:{replica['port']}/_stcore/health"
        with urllib.request.urlopen(health, timeout=10) as response:
            assert response.read() == b"ok"
    assert alive(state["balancer"]["pid"])
    listening = listening_addresses()
    assert all(listening[r["port"]] == {"127.0.0.1"} for r in state["replicas"])
    assert listening[state["balancer"]["port"]] == {"127.0.0.1"}


def listening_addresses() -> dict[int, set[str]]:
    """Port -> addresses with a listening IPv4 or IPv6 TCP socket, from /proc/net/tcp*."""
    found: dict[int, set[str]] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state != "0A":  # LISTEN
                continue
            address, port = local.split(":")
            raw = bytes.fromhex(address)
            if len(raw) == 4:
                host = ".".join(str(b) for b in reversed(raw))
            else:
                host = ipaddress.IPv6Address(
                    b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                ).compressed
            found.setdefault(int(port, 16), set()).add(host)
    return found


def test_each_tab_s_requests_and_websocket_reach_the_replica_its_cookie_names(serving):
    url = serving["url"]
    visitors = [get(url + "/") for _ in range(4)]
    assert {name for name, _ in visitors} == {"replica-1", "replica-2"}
    for name, cookie in visitors:
        assert cookie == f"ATTNVIZ_REPLICA={name}"
        for path in ("/heads", "/_stcore/health", "/_stcore/host-config"):
            assert get(url + path, cookie)[0] == name
        stream = url.replace("http://", "ws://") + "/_stcore/stream"
        with connect(
            stream, subprotocols=["streamlit"], additional_headers={"Cookie": cookie}
        ) as socket:
            assert socket.response.status_code == 101
            assert socket.response.headers["X-Attnviz-Replica"] == name


def download(page, label_start: str) -> bytes:
    page.get_by_test_id("stPopover").first.get_by_role("button").click()
    with page.expect_download(timeout=90_000) as info:
        page.get_by_test_id("stDownloadButton").filter(has_text=label_start).first.click()
    return Path(info.value.path()).read_bytes()


def replica_cookie(page) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get("ATTNVIZ_REPLICA", "")


CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
TITLE_HAS = """(text) => {
  const plot = document.querySelector('.js-plotly-plot');
  return plot && plot.layout.title && plot.layout.title.text.includes(text);
}"""


def watch_websocket_frames(page):
    """Counts frames received on WebSockets opened from now on."""
    count = [0]

    def received(_payload) -> None:
        count[0] += 1

    page.on("websocket", lambda socket: socket.on("framereceived", received))
    return lambda: count[0]


def shown_head(page) -> int:
    title = read_figure(page)["title"].replace("<b>", "").replace("</b>", "")
    assert "layer 2 · head " in title, title
    return int(title.rsplit("head ", 1)[1])


def click_small_multiple(page, head: int) -> None:
    centre = page.evaluate(PANEL_CENTRE, head)
    page.mouse.click(centre["x"], centre["y"])


def test_a_tab_whose_replica_is_killed_goes_on_on_the_live_one_in_chromium(serving, page):
    url, replicas = serving["url"], {r["name"]: r for r in serving["state"]["replicas"]}
    responses: list[tuple[str, str | None]] = []
    page.on("response", lambda r: responses.append((r.url, r.headers.get("x-attnviz-replica"))))
    query = urlencode({"model": "minilm-l6", "text": TEXT, "layer": 2, "head": 3})
    page.goto(f"{url}/heads?{query}", timeout=120_000)
    # A cold replica imports torch and loads the model first: minutes on a busy machine.
    page.wait_for_function("() => attnvizPlots().length >= 2", timeout=300_000)
    wait_until_drawn(page)
    first = replica_cookie(page)
    assert first in replicas
    (second,) = set(replicas) - {first}
    tokens, weights = cli_maps("minilm-l6", TEXT)
    # The download is made by the session's replica and fetched from /media/ on the same one.
    assert downloaded_matrix(page).tolist() == weights[2, 3].tolist()
    assert any("/media/" in address for address, _ in responses)
    assert {name for _, name in responses} == {first}

    responses.clear()
    frames = watch_websocket_frames(page)
    os.kill(replicas[first]["pid"], signal.SIGKILL)
    serving["killed"].append(first)
    # Streamlit's frontend reconnects by itself and the balancer sends it to the live replica
    # (a new cookie). The tab keeps showing its view; its next action runs the page there
    # from the URL and the widgets' values. A chart click in that first action is not
    # applied (the new session never saw the old selection): it redraws the URL's view.
    deadline = time.monotonic() + 60
    while not any(name == second for _, name in responses) and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    page.wait_for_selector(CONNECTED, timeout=30_000)
    assert replica_cookie(page) == second
    responses.clear()  # from here on, every response comes from the live replica
    click_small_multiple(page, 5)
    deadline = time.monotonic() + 120
    while frames() <= 10 and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    wait_until_drawn(page)
    assert frames() > 10  # the page was sent anew by the live replica
    head = shown_head(page)
    figure = read_figure(page)
    assert tokens_of(figure["x"]) == tokens and head in (3, 5)
    np.testing.assert_array_equal(np.array(figure["z"], dtype=np.float32), weights[2, head])
    # The session on the live replica is the tab's now: a click opens another head.
    click_small_multiple(page, 7)
    page.wait_for_function(TITLE_HAS, arg="layer 2 · head 7", timeout=120_000)
    wait_until_drawn(page)
    figure = read_figure(page)
    np.testing.assert_array_equal(np.array(figure["z"], dtype=np.float32), weights[2, 7])
    assert "layer=2" in page.url and "head=7" in page.url
    # A reload draws the URL's view on the live replica; its downloads come from there too.
    page.reload(timeout=120_000)
    wait_until_drawn(page)
    assert "layer 2 · head 7" in read_figure(page)["title"]
    assert downloaded_matrix(page).tolist() == weights[2, 7].tolist()
    # The session's own requests; static files and the icon may come from Chromium's cache.
    served = [(a, n) for a, n in responses if session_request(a)]
    assert {n for _, n in served} == {second}, [s for s in served if s[1] != second]
    assert replica_cookie(page) == second


def session_request(address: str) -> bool:
    """The page, Streamlit's endpoints and media: never from the cache, always the replica's."""
    path = urlparse(address).path
    return path == "/heads" or path.startswith(("/_stcore/", "/media/"))


def downloaded_matrix(page) -> np.ndarray:
    rows = list(csv.reader(io.StringIO(download(page, "CSV:").decode("utf-8"))))
    page.keyboard.press("Escape")
    return np.array([[float(v) for v in row[1:]] for row in rows[1:]], np.float32)


def test_sigterm_stops_the_balancer_and_every_replica_and_removes_the_state(serving):
    process: subprocess.Popen = serving["process"]
    state = serving["state"]
    pids = [state["balancer"]["pid"], *(r["pid"] for r in state["replicas"])]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in pids)
    assert not serving["state_file"].exists()
    output = serving["output"].read_text()
    for name in serving["killed"]:  # by the failover test
        assert f"{name} (pid" in output
        assert "exited with status -9; its sessions move to the live replicas" in output
    assert "stopped" in output
