"""The balancer's configuration and `serve`'s command line, without Streamlit replicas.

HAProxy itself checks every configuration we write; two small loopback HTTP servers stand in
for `attnviz app` backends to show the routing: affinity by cookie, the X-Attnviz-Replica
header, and a dead backend's clients moved to the live one.
"""

from __future__ import annotations

import http.server
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from attnviz import app_files, balancer
from tests.serve.conftest import ROOT, free_port, start_serve, stop_serve, wait_for_state

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def haproxy_accepts(config: str, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "haproxy.cfg"
    path.write_text(config)
    return subprocess.run([HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True)


def test_the_config_haproxy_checks_has_affinity_health_checks_and_lesson_timeouts(tmp_path):
    replicas = [
        balancer.Replica("replica-1", "127.0.0.1", 40001),
        balancer.parse_backend("[::1]:40002", "backend-1"),
        balancer.parse_backend("localhost:40003", "backend-2"),
    ]
    config = balancer.haproxy_config("127.0.0.1", 18501, replicas)
    checked = haproxy_accepts(config, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    lines = {line.strip() for line in config.splitlines()}
    assert "bind 127.0.0.1:18501" in lines
    assert "cookie ATTNVIZ_REPLICA insert indirect nocache httponly" in lines
    assert "http-check send meth GET uri /_stcore/health" in lines
    assert "http-response set-header X-Attnviz-Replica %[srv_name]" in lines
    assert "timeout tunnel 1h" in lines and "option redispatch 1" in lines
    assert "server replica-1 127.0.0.1:40001 cookie replica-1" in lines
    assert "server backend-1 ipv6@::1:40002 cookie backend-1" in lines
    assert "server backend-2 localhost:40003 cookie backend-2" in lines


@pytest.mark.parametrize(
    "text",
    [
        "10.0.0.5",  # no port
        ":8501",
        "host:0",
        "host:65536",
        "host:http",
        "evil.example:80 check\n    server x 1.2.3.4",  # would add lines to the config
        "two words:8501",
        "[10.0.0.5]:8501",  # brackets are for IPv6
        "[::1:8501",
        "-host:8501",
    ],
)
def test_a_backend_that_is_not_host_and_port_is_refused_with_a_sentence(text):
    with pytest.raises(ValueError, match=r"\.$"):
        balancer.parse_backend(text, "backend-1")


def test_good_backends_keep_their_host_and_port():
    assert balancer.parse_backend("10.0.0.5:8501", "b").address == "10.0.0.5:8501"
    assert balancer.parse_backend("app-2.school.internal:9000", "b").port == 9000
    assert balancer.parse_backend("[fd00::5]:8501", "b").host == "fd00::5"


def test_the_app_is_this_checkout_s_app_py():
    assert app_files.app_script() == ROOT / "app.py"
    assert (app_files.app_script().parent / ".streamlit" / "config.toml").is_file()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "attnviz", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_app_hands_its_options_to_streamlit_run():
    result = cli("app", "--help")
    assert result.returncode == 0
    assert "streamlit run" in result.stdout and "--server.port" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--replicas", "0"), "Nothing to serve"),
        (("--replicas", "-1"), "0 or more"),
        (("--port", "0"), "from 1 to 65535"),
        (("--port", "eighty"), "from 1 to 65535"),
        (("--address", "localhost"), "IP address"),
        (("--backend", "no-port"), "HOST:PORT"),
        (("--replicas", "two"), "invalid int"),
    ],
)
def test_bad_serve_options_exit_2_with_one_sentence(args, message):
    result = cli("serve", *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_port_in_use_exits_2_before_anything_starts():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = cli("serve", "--port", str(taken.getsockname()[1]))
    assert result.returncode == 2 and "Cannot listen on 127.0.0.1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


class Backend:
    """A loopback HTTP server answering like `attnviz app`'s health and page, with its name."""

    def __init__(self, name: str) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = f"{name} {self.headers.get('Cookie', '')}".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def get(url: str, cookie: str = "") -> tuple[str, str, str]:
    """(X-Attnviz-Replica, the cookie to send next time, body)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        set_cookie = response.headers.get("Set-Cookie", "")
        body = response.read().decode()
        return response.headers["X-Attnviz-Replica"], set_cookie.split(";")[0] or cookie, body


def test_backends_get_sticky_sessions_and_a_dead_one_s_clients_move(tmp_path):
    backends = [Backend("first"), Backend("second")]
    port = free_port()
    options = ["--replicas", "0", "--port", str(port)]
    for backend in backends:
        options += ["--backend", f"127.0.0.1:{backend.port}"]
    process, state_file, output = start_serve(tmp_path, *options)
    try:
        state = wait_for_state(process, state_file, output, timeout=120)
        assert [r["name"] for r in state["replicas"]] == ["backend-1", "backend-2"]
        assert [r["pid"] for r in state["replicas"]] == [None, None]
        url = state["balancer"]["url"]
        # New visitors are spread; each one's later requests stay on its replica.
        visitors = [get(url + "/") for _ in range(4)]
        assert {name for name, _, _ in visitors} == {"backend-1", "backend-2"}
        for name, cookie, _ in visitors:
            assert cookie == f"ATTNVIZ_REPLICA={name}"
            for path in ("/heads?layer=2", "/_stcore/health", "/media/x.csv"):
                again, _, body = get(url + path, cookie)
                assert again == name
                assert "ATTNVIZ_REPLICA" not in body  # indirect: backends never see it
        # backend-1 dies: its clients' next requests reach backend-2, with a new cookie.
        backends[0].stop()
        stranded = next(cookie for name, cookie, _ in visitors if name == "backend-1")
        moved = get(url + "/_stcore/health", stranded)
        assert moved[0] == "backend-2" and moved[1] == "ATTNVIZ_REPLICA=backend-2"
    finally:
        stop_serve(process, [])
        backends[1].stop()
    assert process.returncode == 0
    assert not state_file.exists()


def test_replicas_load_no_model_folders_unless_told_and_share_one_cookie_secret(monkeypatch):
    from attnviz import serve

    monkeypatch.delenv("ATTNVIZ_MODEL_ROOTS", raising=False)
    monkeypatch.delenv("STREAMLIT_SERVER_COOKIE_SECRET", raising=False)
    shared = serve.replica_environment(None)
    assert shared["ATTNVIZ_MODEL_ROOTS"] == ""  # no folders from the browser
    assert len(shared["STREAMLIT_SERVER_COOKIE_SECRET"]) == 64
    assert str(ROOT) in shared["PYTHONPATH"].split(":")
    assert serve.replica_environment("/srv/models")["ATTNVIZ_MODEL_ROOTS"] == "/srv/models"
    monkeypatch.setenv("ATTNVIZ_MODEL_ROOTS", "/srv/teacher")  # set on purpose: kept
    assert serve.replica_environment(None)["ATTNVIZ_MODEL_ROOTS"] == "/srv/teacher"
    assert serve.replica_environment("")["ATTNVIZ_MODEL_ROOTS"] == ""


def test_options_after_a_double_dash_go_to_every_local_replica(tmp_path):
    from attnviz.__main__ import build_parser
    from attnviz.serve import plan_from_args

    argv = ["serve", "--port", str(free_port()), "--log-dir", str(tmp_path)]
    argv += ["--", "--server.allowedHosts", "attnviz.school.example"]
    plan = plan_from_args(build_parser().parse_args(argv))
    assert plan.streamlit_options == ["--server.allowedHosts", "attnviz.school.example"]
    assert plan.replicas == 2 and plan.address == "127.0.0.1" and plan.model_roots is None


def test_a_backend_not_up_yet_does_not_stop_serve_and_a_killed_serve_takes_haproxy(tmp_path):
    backend = Backend("up")
    options = ["--replicas", "0", "--port", str(free_port())]
    options += ["--backend", f"127.0.0.1:{backend.port}", "--backend", f"127.0.0.1:{free_port()}"]
    process, state_file, output = start_serve(tmp_path, *options)
    state: dict = {}
    try:
        state = wait_for_state(process, state_file, output, timeout=120)
        assert "backend-2: 127.0.0.1:" in output.read_text()
        assert "(not answering yet)" in output.read_text()
        assert get(state["balancer"]["url"] + "/")[0] == "backend-1"
        haproxy = state["balancer"]["pid"]
        process.send_signal(signal.SIGKILL)  # no clean-up at all: the kernel tells HAProxy
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{haproxy}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{haproxy}").exists()
    finally:
        stop_serve(process, [state["balancer"]["pid"]] if state else [])
        backend.stop()
