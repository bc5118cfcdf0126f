"""The HAProxy configuration of `python -m attnviz serve`: pure text, no processes.

One frontend on the address the user gives, one backend of Streamlit replicas with:
- cookie affinity: HAProxy inserts `ATTNVIZ_REPLICA=<name>` on a session's first response, so
  its WebSocket (`/_stcore/stream`) and its media and download requests (`/media/...`) reach
  the replica that holds the session's state;
- health checks on `/_stcore/health`; a replica that fails them, or refuses a connection, is
  skipped and a request whose cookie names it is sent to a live replica (`option redispatch`),
  which is how a browser's reconnection lands on a live replica after a replica dies;
- WebSocket timeouts for a lesson: a connection is a tunnel once upgraded, and Streamlit pings
  every 30 s, so an open tab is never idle for the hour `timeout tunnel` allows;
- the response header `X-Attnviz-Replica: <name>`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re

COOKIE = "ATTNVIZ_REPLICA"
HEADER = "X-Attnviz-Replica"
HEALTH_PATH = "/_stcore/health"
# A DNS name or an IPv4 literal; IPv6 literals are written in brackets on the command line.
_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")


@dataclasses.dataclass(frozen=True)
class Replica:
    """One Streamlit server behind the balancer."""

    name: str  # also the cookie value and the X-Attnviz-Replica header
    host: str  # an IP literal or a DNS name, never with brackets
    port: int

    @property
    def address(self) -> str:
        """`host:port` as HAProxy reads it (IPv6 with its `ipv6@` prefix)."""
        return f"{_haproxy_host(self.host)}:{self.port}"


def parse_port(text: str, what: str = "port") -> int:
    """A TCP port from 1 to 65535; ValueError names what was given."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"The {what} must be a number from 1 to 65535, not {text!r}.")
    return int(text)


def parse_backend(text: str, name: str) -> Replica:
    """`HOST:PORT` or `[IPv6]:PORT` from `--backend`, checked so it cannot change the config."""
    host, colon, port = text.rpartition(":")
    if not colon or not host:
        raise ValueError(f"A backend is HOST:PORT (for example 10.0.0.5:8501), not {text!r}.")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
        if not _is_ip(host) or ":" not in host:
            raise ValueError(f"{text!r} has brackets but no IPv6 address inside them.")
    elif not _is_ip(host) and not _HOSTNAME.match(host):
        raise ValueError(f"The backend host {host!r} is neither an IP address nor a host name.")
    return Replica(name, host, parse_port(port, f"port of backend {text!r}"))


def parse_bind_address(text: str) -> str:
    """The balancer's listening address: an IP literal (loopback by default)."""
    if not _is_ip(text):
        raise ValueError(f"The address must be an IP address such as 127.0.0.1, not {text!r}.")
    return text


def haproxy_config(address: str, port: int, replicas: list[Replica]) -> str:
    """The whole configuration file: balancer on `address:port`, one server per replica."""
    if not replicas:
        raise ValueError("The balancer needs at least one replica or backend.")
    servers = "\n".join(
        f"    server {r.name} {r.address} cookie {r.name}" for r in replicas
    )  # names are ours (replica-N, backend-N); addresses were checked by parse_backend
    return _TEMPLATE.format(
        bind=f"{_haproxy_host(address)}:{port}",
        cookie=COOKIE,
        header=HEADER,
        health=HEALTH_PATH,
        servers=servers,
    )


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _haproxy_host(host: str) -> str:
    return f"ipv6@{host}" if ":" in host else host


_TEMPLATE = """\
# Written by `python -m attnviz serve` at each start; see attnviz/balancer.py.
global
    maxconn 4096
    # Servers going down and up again, on HAProxy's standard error (the serve log folder).
    log stderr format short local0 notice

defaults
    mode http
    log global
    option dontlognull
    timeout connect 5s
    timeout http-request 15s
    timeout http-keep-alive 15s
    timeout queue 30s
    # Plain requests (pages, scripts, health, media and downloads).
    timeout client 60s
    timeout server 60s
    # An upgraded WebSocket: idle both ways for an hour at most. Streamlit pings every 30 s,
    # so an open tab stays connected for a whole lesson; client-fin frees a vanished laptop.
    timeout tunnel 1h
    timeout client-fin 30s
    timeout server-fin 30s
    # A refused connection (a dead replica) is retried on another replica at once.
    retries 2
    option redispatch 1

frontend attnviz
    bind {bind}
    default_backend replicas

backend replicas
    # Sessions are long WebSockets: a new one goes to the replica with the fewest open.
    balance leastconn
    # Affinity: the first response sets the cookie, every later request of the tab (the
    # WebSocket, media, downloads) carries it. indirect: replicas never see it.
    cookie {cookie} insert indirect nocache httponly
    option httpchk
    http-check send meth GET uri {health}
    http-check expect status 200
    # Down after 3 failed checks 2 s apart (a dead replica fails at once), up after 2 passes.
    default-server check inter 2s fall 3 rise 2
    timeout check 5s
    http-response set-header {header} %[srv_name]
{servers}
"""
