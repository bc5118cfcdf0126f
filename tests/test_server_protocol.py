"""A real server, spoken to as a browser does (Streamlit's WebSocket protocol, on loopback):
it listens on loopback only, takes WebSockets only for its own host names, and a
`clear_cache` message from any browser leaves the one-training-at-a-time guard in place."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
FINISHED = (0, 1)  # ForwardMsg.script_finished: finished successfully / with an error


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` with the project's config only: no address given."""
    port = free_port()
    log = (tmp_path_factory.mktemp("server") / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    yield process, port
    process.terminate()
    process.wait(timeout=30)


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) with a socket listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def test_the_server_listens_on_loopback_only(server):
    _, port = server
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and no 0.0.0.0 or ::


async def connect(port: int, name: str = "127.0.0.1"):
    """A WebSocket to the server on loopback, whose Host header says `name`."""
    return await websockets.connect(
        f"ws://{name}:{port}/_stcore/stream",
        host="127.0.0.1",
        port=port,
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=120,  # a busy machine answers the handshake late, not never
    )


def test_websockets_are_refused_for_other_host_names(server):
    _, port = server

    async def attempt(name: str) -> bool:
        try:
            socket_ = await connect(port, name)
        except websockets.exceptions.InvalidStatus:
            return False
        await socket_.close()
        return True

    assert asyncio.run(attempt("127.0.0.1"))
    assert asyncio.run(attempt("localhost"))
    assert not asyncio.run(attempt("evil.example"))  # a DNS-rebinding page's name


class Tab:
    """One browser tab on /classroom: reruns with widget values, reads what came back."""

    def __init__(self, socket_) -> None:
        self.socket = socket_
        self.elements: list = []
        self.page_hash = ""

    async def rerun(self, query: str = "", triggers: tuple[str, ...] = ()) -> None:
        request = BackMsg()
        state = request.rerun_script
        state.query_string, state.page_name = query, "classroom"
        state.page_script_hash = self.page_hash
        for widget_id in triggers:
            widget = state.widget_states.widgets.add()
            widget.id, widget.trigger_value = widget_id, True
        await self.socket.send(request.SerializeToString())
        self.elements = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(self.socket.recv(), 120))
            kind = message.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = message.navigation.page_script_hash
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                self.elements.append(getattr(element, element.WhichOneof("type")))
            elif kind == "script_finished" and message.script_finished in FINISHED:
                return

    def button(self, label: str) -> str:
        return next(e.id for e in self.elements if getattr(e, "label", None) == label)

    def texts(self) -> list[str]:
        return [e.body for e in self.elements if hasattr(e, "body") and isinstance(e.body, str)]


def test_clear_cache_from_a_browser_keeps_the_one_training_at_a_time_limit(server):
    _, port = server

    async def scenario() -> list[str]:
        first, second = Tab(await connect(port)), Tab(await connect(port))
        query = urlencode({"seconds": "10"})
        await first.rerun(query)
        await first.rerun(query, (first.button("Start training"),))
        clearing = await connect(port)
        request = BackMsg()
        request.clear_cache = True
        await clearing.send(request.SerializeToString())
        await asyncio.sleep(1)
        await second.rerun(query)
        await second.rerun(query, (second.button("Start training"),))
        for socket_ in (first.socket, second.socket, clearing):
            await socket_.close()
        return second.texts()

    texts = asyncio.run(scenario())
    assert any("Another session is training right now" in text for text in texts), texts
