"""The production front on loopback, for the tests and the benchmark: deploy/nginx.conf and gunicorn servers on free
ports, nginx under a temporary prefix; every process started here is stopped here (with its descendants)."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY_CONF = REPO / "deploy" / "nginx.conf"
#: The upstream's server lines in deploy/nginx.conf (their parameters kept).
UPSTREAM_SERVER = re.compile(r"^(\s*server\s+)127\.0\.0\.1:\d+([^;]*;)[ \t]*$", re.M)


def free_port() -> int:
    """A loopback port no one listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_map() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def descendants(pid: int, children: dict[int, list[int]] | None = None) -> list[int]:
    """Every process under `pid`."""
    children = children_map() if children is None else children
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, []))
    return found


def start_time(pid: int) -> str:
    """When a process started (clock ticks since boot, as text): tells a process from a later one with its id."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def stop_tree(process: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 40) -> None:
    """Stop a process we started, then any of its descendants still alive (e.g. Chromium under a worker)."""
    tree = [(p, start_time(p)) for p in descendants(process.pid)]
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    for pid, started in tree:
        if started and start_time(pid) == started:  # the same process, not a reused id
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    gzip_ok: bool = False,
    conn: http.client.HTTPConnection | None = None,
    timeout: float = 30,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, bytes, dict[str, str]]:
    """One request; headers come back with lower-case names."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent = {"Content-Type": "application/json"} if body is not None else {}
    if gzip_ok:
        sent["Accept-Encoding"] = "gzip"
    sent.update(headers or {})
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        return response.status, data, {k.lower(): v for k, v in response.getheaders()}
    finally:
        if own:
            conn.close()


def answers(process: subprocess.Popen, port: int, path: str, within: float) -> bool:
    """Whether a starting server answers 200 on `path` within `within` seconds (False once it has exited)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if request(port, "GET", path, timeout=10)[0] == 200:
                return True
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    return False


class Gunicorn:
    """`gunicorn app:server` (reading gunicorn.conf.py) on a free loopback port, for a `with` block. `env` adds to the
    environment (e.g. DASHBOARD_DATA_DIR, DASHBOARD_FRONT_CACHE); `args` are gunicorn options."""

    def __init__(self, env: Mapping[str, str] | None = None, args: Sequence[str] = (), port: int | None = None) -> None:
        self.port = port or free_port()
        self.log = tempfile.NamedTemporaryFile("w+", prefix="front-gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *args, "app:server"],
            cwd=REPO,  # gunicorn reads ./gunicorn.conf.py
            env={**os.environ, "PYTHONPATH": str(REPO), **(env or {}), "DASHBOARD_BIND": f"127.0.0.1:{self.port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Gunicorn:
        if answers(self.process, self.port, "/healthz", within=120):
            return self
        printed = self.output()
        self.stop()
        raise RuntimeError(f"gunicorn did not start; its log:\n{printed[-3000:]}")

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def output(self) -> str:
        """What gunicorn printed so far (until it is stopped)."""
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server and its workers (SIGKILL: the whole tree at once, as a crash would)."""
        if sig == signal.SIGKILL:
            for pid in [*descendants(self.process.pid), self.process.pid]:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        stop_tree(self.process, sig)
        if not self.log.closed:
            self.log.close()
            with contextlib.suppress(OSError):
                os.unlink(self.log.name)

    def workers(self) -> list[int]:
        """The worker processes' ids."""
        return list(children_map().get(self.process.pid, []))


class Nginx:
    """deploy/nginx.conf on a free loopback port with its upstream's servers at `upstream_ports` (one port: the
    other server lines are dropped), under a temporary prefix, for a `with` block."""

    def __init__(self, upstream_ports: int | Sequence[int], conf: Path = DEPLOY_CONF) -> None:
        ports = [upstream_ports] if isinstance(upstream_ports, int) else list(upstream_ports)
        self.port = free_port()
        self.prefix = tempfile.mkdtemp(prefix="front-nginx-")
        os.chmod(self.prefix, 0o755)  # nginx's workers (nobody when started as root) write their temp files here
        self.cache = Path(self.prefix) / "cache"
        self.access_log = Path(self.prefix) / "access.log"
        text = conf.read_text(encoding="utf-8")
        text, _ = re.subn(r"^\s*listen\s+\[::\]:\d+[^;]*;[ \t]*$", "", text, flags=re.M)
        text, listens = re.subn(r"\blisten\s+\d+\s*;", f"listen 127.0.0.1:{self.port};", text)
        servers = UPSTREAM_SERVER.findall(text)
        if listens != 1 or len(servers) < len(ports):
            raise RuntimeError(f"{conf}: expected one listen and {len(ports)} upstream servers")
        remaining = iter(ports)
        text = UPSTREAM_SERVER.sub(
            lambda m: f"{m[1]}127.0.0.1:{port}{m[2]}" if (port := next(remaining, None)) else "", text
        )
        self.conf = Path(self.prefix) / "nginx.conf"
        self.conf.write_text(text, encoding="utf-8")
        self.process = subprocess.Popen(
            ["nginx", "-c", str(self.conf), "-p", self.prefix + "/", "-e", "error.log", "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def __enter__(self) -> Nginx:
        if answers(self.process, self.port, "/healthz", within=20):
            return self
        error = self.process.stderr.read().decode() if self.process.poll() is not None and self.process.stderr else ""
        self.__exit__()
        raise RuntimeError(f"nginx did not start: {error.strip()[-500:]}")

    def __exit__(self, *exc: object) -> None:
        stop_tree(self.process, signal.SIGQUIT, wait=10)
        shutil.rmtree(self.prefix, ignore_errors=True)

    def log_lines(self) -> list[str]:
        """The access log so far (deploy/nginx.conf's `front` format: `cache=…` and `upstream=…` fields)."""
        with contextlib.suppress(FileNotFoundError):
            return self.access_log.read_text(encoding="utf-8").splitlines()
        return []
