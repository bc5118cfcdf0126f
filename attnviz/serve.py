"""`python -m attnviz app` and `python -m attnviz serve`: the app alone, or behind HAProxy.

`serve` starts N replicas of the app on free loopback ports (each `python -m attnviz app`),
then HAProxy (attnviz/balancer.py) on the address and port given, in front of them and of any
`--backend HOST:PORT` started elsewhere with `attnviz app`. It writes `--state FILE` once the
balancer answers, watches its processes, and on Ctrl-C, SIGTERM or SIGHUP stops the balancer
and then every replica it started (and removes the state file). A replica that dies is
reported and left dead: HAProxy sends its sessions to the live ones (docs/DEPLOY.md).

Replicas never load model folders from the browser unless `--model-roots` says where
(ATTNVIZ_MODEL_ROOTS is set to "" for them otherwise), and they listen on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import dataclasses
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from attnviz import app_files, balancer

REPLICA_HOST = "127.0.0.1"
MODEL_ROOTS = "ATTNVIZ_MODEL_ROOTS"  # empty: no model folders from the browser
HAPROXY_FALLBACK = "/usr/sbin/haproxy"  # Debian's path, often not on a user's PATH
STOP_GRACE_S = 15.0


class Stopped(Exception):
    """SIGTERM or SIGHUP arrived: stop everything, like Ctrl-C."""


class StartFailed(Exception):
    """A process we started did not come up; the message is one sentence for the user."""


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """The `app` and `serve` subcommands (`app`'s own options are Streamlit's)."""
    commands.add_parser(
        "app",
        add_help=False,
        help="start the app with Streamlit; any `streamlit run` options follow",
    )
    serve = commands.add_parser(
        "serve", help="start N replicas of the app behind HAProxy with session affinity"
    )
    serve.add_argument("--replicas", type=int, default=2, help="local replicas (default 2)")
    serve.add_argument("--port", default="8501", help="the balancer's port (default 8501)")
    serve.add_argument(
        "--address", default="127.0.0.1", help="the balancer's IP address (default 127.0.0.1)"
    )
    serve.add_argument(
        "--backend",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="a replica started elsewhere with `attnviz app` (repeatable)",
    )
    serve.add_argument("--state", type=Path, help="write the balancer's and replicas' JSON here")
    serve.add_argument(
        "--model-roots",
        help="ATTNVIZ_MODEL_ROOTS for the replicas: folders a browser may open, separated by"
        f" {os.pathsep!r} (default: the variable if set, else empty: none)",
    )
    serve.add_argument(
        "--log-dir", type=Path, help="logs and haproxy.cfg (default: a new temp dir)"
    )
    serve.add_argument(
        "--start-timeout", type=float, default=120.0, help="seconds for replicas to start"
    )
    serve.add_argument(
        "streamlit_options",
        nargs="*",
        metavar="-- STREAMLIT_OPTION",
        help="after --: options for every local replica, e.g. --server.allowedHosts NAME",
    )


def command_app(streamlit_args: Sequence[str]) -> int:
    """`streamlit run <app.py> [options]`, Streamlit's public command line, in place of this
    process (exec: the replica's pid is the server's, as `serve --state` reports it)."""
    script = app_files.app_script()
    argv = [sys.executable, "-m", "streamlit", "run", str(script), *streamlit_args]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)
    return 0  # not reached: exec returns only by raising OSError


@dataclasses.dataclass
class Child:
    """A process serve started: a replica or the balancer."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path
    reported: bool = False  # its unexpected exit was already printed


@dataclasses.dataclass
class Plan:
    """What `serve` was asked for, checked."""

    address: str
    port: int
    replicas: int
    backends: list[balancer.Replica]
    folder: Path
    state: Path | None
    model_roots: str | None
    start_timeout: float
    streamlit_options: list[str]


def plan_from_args(args: argparse.Namespace) -> Plan:
    """Check the options before anything starts; ValueError is one sentence for the user."""
    address = balancer.parse_bind_address(args.address)
    port = balancer.parse_port(str(args.port))
    if args.replicas < 0:
        raise ValueError(f"--replicas must be 0 or more, not {args.replicas}.")
    backends = [
        balancer.parse_backend(text, f"backend-{i}") for i, text in enumerate(args.backend, 1)
    ]
    if args.replicas == 0 and not backends:
        raise ValueError("Nothing to serve: give --replicas 1 or more, or a --backend.")
    _check_port_free(address, port)
    folder = args.log_dir or Path(tempfile.mkdtemp(prefix="attnviz-serve-"))
    folder.mkdir(parents=True, exist_ok=True)
    return Plan(
        address,
        port,
        args.replicas,
        backends,
        folder,
        args.state,
        args.model_roots,
        args.start_timeout,
        list(args.streamlit_options),
    )


def command_serve(args: argparse.Namespace) -> int:
    """Start, write the state, watch until a signal, stop; 1 if something failed on the way."""
    plan = plan_from_args(args)
    haproxy = find_haproxy()
    children: list[Child] = []
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        start_replicas(plan, children)
        wait_until_healthy(children, plan.start_timeout)
        replicas = [balancer.Replica(c.name, REPLICA_HOST, c.port) for c in children]
        front = start_balancer(haproxy, plan, replicas + plan.backends)
        children.append(front)
        if plan.state:
            write_state(plan.state, plan, front, children[:-1])
        announce(plan, front, children[:-1])
        return watch(front, children[:-1])
    except StartFailed as failure:
        print(f"attnviz: {failure}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Stopped):
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop_all(children)
        if plan.state and children:
            with contextlib.suppress(FileNotFoundError):
                plan.state.unlink()
        print(f"attnviz serve: stopped; logs in {plan.folder}", flush=True)


def find_haproxy() -> str:
    found = shutil.which("haproxy") or (
        HAPROXY_FALLBACK if os.access(HAPROXY_FALLBACK, os.X_OK) else None
    )
    if not found:
        raise ValueError("HAProxy is not installed (on Debian: apt-get install haproxy).")
    return found


def start_replicas(plan: Plan, children: list[Child]) -> None:
    """N `python -m attnviz app` on free loopback ports, each logging to its own file; each
    joins `children` as soon as it exists, so an interrupted start still stops it."""
    env = replica_environment(plan.model_roots)
    for number in range(1, plan.replicas + 1):
        name, port = f"replica-{number}", free_port()
        command = [
            sys.executable,
            "-m",
            "attnviz",
            "app",
            "--server.address",
            REPLICA_HOST,
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            *plan.streamlit_options,
        ]
        log = plan.folder / f"{name}.log"
        children.append(Child(name, port, _spawn(command, log, env), log))


def replica_environment(model_roots: str | None) -> dict[str, str]:
    """The replicas' environment: one cookie secret for all; model folders as `--model-roots`
    says, else as ATTNVIZ_MODEL_ROOTS already says, else none (a shared server's default)."""
    package_parent = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path}
    if model_roots is not None:
        env[MODEL_ROOTS] = model_roots
    env.setdefault(MODEL_ROOTS, "")
    # Replicas are interchangeable after a failover only if they sign cookies alike.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    return env


def wait_until_healthy(children: list[Child], timeout: float) -> None:
    """Every replica answers /_stcore/health with 200, or StartFailed names the one that didn't."""
    deadline = time.monotonic() + timeout
    waiting = list(children)
    while waiting:
        for child in list(waiting):
            if child.process.poll() is not None:
                raise StartFailed(
                    f"{child.name} exited while starting (status {child.process.returncode});"
                    f" see {child.log}."
                )
            if healthy(f"http://{REPLICA_HOST}:{child.port}"):
                waiting.remove(child)
        if waiting and time.monotonic() > deadline:
            names = ", ".join(c.name for c in waiting)
            raise StartFailed(
                f"{names} did not answer within {timeout:.0f} s; see {plan_logs(waiting)}."
            )
        if waiting:
            time.sleep(0.3)


def start_balancer(haproxy: str, plan: Plan, replicas: list[balancer.Replica]) -> Child:
    """Write haproxy.cfg, let HAProxy check it, start it, wait until it answers through."""
    config = plan.folder / "haproxy.cfg"
    config.write_text(balancer.haproxy_config(plan.address, plan.port, replicas))
    check = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    if check.returncode != 0:
        raise StartFailed(
            f"HAProxy refused its configuration: {_first_alert(check.stdout + check.stderr)}"
        )
    log = plan.folder / "haproxy.log"
    front = Child("balancer", plan.port, _spawn([haproxy, "-db", "-f", str(config)], log), log)
    deadline = time.monotonic() + 20
    url = f"http://{_client_host(plan.address)}:{plan.port}"
    while not answers(url):  # any answer: HAProxy listens (backends may come up later)
        if front.process.poll() is not None:
            raise StartFailed(f"HAProxy exited at start: {_first_alert(log.read_text())}")
        if time.monotonic() > deadline:
            raise StartFailed(f"the balancer did not answer at {url} within 20 s; see {log}.")
        time.sleep(0.2)
    return front


def write_state(path: Path, plan: Plan, front: Child, children: list[Child]) -> None:
    """`{"balancer": {"port", "pid", ...}, "replicas": [{"name", "port", "pid", ...}]}`."""
    state = {
        "balancer": {
            "address": plan.address,
            "port": plan.port,
            "pid": front.process.pid,
            "url": f"http://{_url_host(plan.address)}:{plan.port}",
            "log": str(front.log),
        },
        "replicas": [
            {
                "name": c.name,
                "host": REPLICA_HOST,
                "port": c.port,
                "pid": c.process.pid,
                "log": str(c.log),
            }
            for c in children
        ]
        + [{"name": b.name, "host": b.host, "port": b.port, "pid": None} for b in plan.backends],
    }
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(state, indent=2) + "\n")
    partial.replace(path)  # readers never see half a file


def announce(plan: Plan, front: Child, children: list[Child]) -> None:
    url = f"http://{_url_host(plan.address)}:{plan.port}"
    print(f"attnviz serve: {url} (HAProxy pid {front.process.pid})", flush=True)
    for child in children:
        print(f"  {child.name}: {REPLICA_HOST}:{child.port} (pid {child.process.pid})")
    for backend in plan.backends:
        ready = (
            "healthy"
            if healthy(f"http://{_url_host(backend.host)}:{backend.port}")
            else "not answering yet"
        )
        print(f"  {backend.name}: {backend.host}:{backend.port} ({ready})")
    print(f"  logs: {plan.folder}; Ctrl-C stops everything", flush=True)


def watch(front: Child, children: list[Child]) -> int:
    """Until a signal: report a replica that dies once; stop when the balancer dies."""
    while True:
        if front.process.poll() is not None:
            print(
                f"attnviz: HAProxy exited (status {front.process.returncode}); see {front.log}",
                file=sys.stderr,
            )
            return 1
        for child in children:
            if child.process.poll() is not None and not child.reported:
                child.reported = True
                print(
                    f"attnviz serve: {child.name} (pid {child.process.pid}) exited with status"
                    f" {child.process.returncode}; its sessions move to the live replicas",
                    flush=True,
                )
        time.sleep(0.5)


def stop_all(children: list[Child]) -> None:
    """The balancer first (no new requests), then every replica; SIGKILL after a grace time."""
    ordered = sorted(children, key=lambda c: c.name != "balancer")
    for child in ordered:
        if child.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.process.terminate()
        if child.name == "balancer":
            _wait_or_kill(child.process)
    for child in ordered:
        _wait_or_kill(child.process)


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + balancer.HEALTH_PATH, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def answers(base_url: str) -> bool:
    """Something answers HTTP there, healthy or not (503 when no replica is up yet)."""
    try:
        with urllib.request.urlopen(base_url + balancer.HEALTH_PATH, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((REPLICA_HOST, 0))
        return sock.getsockname()[1]


def plan_logs(children: list[Child]) -> str:
    return ", ".join(str(c.log) for c in children)


def _check_port_free(address: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address, port))
        except OSError as error:
            raise ValueError(
                f"Cannot listen on {address} port {port} ({error.strerror}); choose another --port."
            ) from None


def _spawn(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A child in its own session (Ctrl-C reaches serve, which stops it in order) that also
    gets SIGTERM if serve itself is killed (Linux's parent-death signal)."""
    with log.open("w") as output:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_parent_hook(),
        )


def _die_with_parent_hook():
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork, not after
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1
    return lambda: prctl(pr_set_pdeathsig, signal.SIGTERM)


def _wait_or_kill(process: subprocess.Popen) -> None:
    try:
        process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_GRACE_S)


def _raise_stopped(signum: int, frame: object) -> None:
    raise Stopped(signal.Signals(signum).name)


def _first_alert(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if "ALERT" in line] or text.splitlines()
    return (lines[0] if lines else "no message").rstrip(".") + "."


def _client_host(address: str) -> str:
    """Where serve itself reaches the balancer: the wildcard addresses mean loopback."""
    return {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(address, _url_host(address))


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
