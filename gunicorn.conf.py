"""gunicorn settings for production, behind nginx (deploy/nginx.conf): `gunicorn app:server` from the repository root.

Options given on the command line win over these, e.g. `gunicorn --bind 0.0.0.0:8050 app:server`.
"""

import gc
import os
import re
import sys

wsgi_app = "app:server"
# Loopback only: nginx in front buffers slow clients, which would otherwise hold gunicorn's few threads.
bind = [os.environ.get("DASHBOARD_BIND", "127.0.0.1:8050")]
# One worker per core; each holds the read-only model (about 150 MB, much of it shared with the master, see below).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 4
# Build the model once in the master before forking: broken data then stops the start with the error printed once
# and a non-zero exit, instead of every worker failing, being restarted and failing again on an open port. The
# workers also share the model's memory pages with the master.
preload_app = True
# A request still running after this long is stuck (the slowest, an image export, takes seconds): restart the worker.
timeout = 60
graceful_timeout = 30
# nginx keeps connections to gunicorn open (upstream keepalive): gunicorn must hold an idle one longer than nginx does
# (its keepalive_timeout, 60 s by default), or nginx may send a request on a connection gunicorn is closing (a 502 on a
# POST, which nginx does not retry). nginx retires each connection after 5 s of use (keepalive_time), so that a worker
# restarted after a crash gets its share of new connections within seconds.
keepalive = 75
# Trust X-Forwarded-* only from nginx on this machine.
forwarded_allow_ips = "127.0.0.1"
# The heartbeat file on tmpfs: a slow or full disk must not make the master think workers hang.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
# gunicorn 27's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl): a second server on the
# machine (a benchmark, a test) would take it over. Nothing here uses it. Older gunicorn ignores the name.
control_socket_disable = True


# nginx's cache (deploy/nginx.conf: the `cache` folder under its -p prefix), emptied when this server starts, before it
# answers anything: the answers of the data (and code) this server had before are never served beside its new ones.
front_cache = os.environ.get("DASHBOARD_FRONT_CACHE", "")
#: nginx names each cached answer by the md5 of its key; nothing else is deleted, whatever folder is named.
CACHED_ANSWER = re.compile(r"[0-9a-f]{32}")


def empty_front_cache(folder: str) -> int:
    """Delete every answer in nginx's cache `folder` (its subfolders stay: nginx writes into them); how many."""
    if not os.path.isdir(folder):  # nginx has cached nothing yet
        return 0
    deleted = 0

    def unreadable(error: OSError) -> None:
        raise error  # a subfolder left unread would keep its answers

    for root, _, files in os.walk(folder, onerror=unreadable):
        for name in files:
            if CACHED_ANSWER.fullmatch(name):
                try:
                    os.unlink(os.path.join(root, name))
                except FileNotFoundError:  # nginx replaced or evicted it meanwhile
                    continue
                deleted += 1
    return deleted


# The model, Dash and plotly make about 200,000 objects in the master (preload_app) that live as long as the process.
# Python's full garbage collection walks them all: about 100 ms, inside whichever request triggers it (the slowest
# frame of a ▶ Play). Frozen before the workers fork, they are never walked again (the workers' own objects still
# are), and collections no longer write to the pages the workers share with the master.
def when_ready(server: object) -> None:
    """After the app is loaded in the master, before the first worker forks: freeze what exists, empty the front's
    cache (a folder that cannot be emptied stops the start: it would serve the old answers)."""
    gc.freeze()
    if front_cache:
        try:
            deleted = empty_front_cache(front_cache)
        except OSError as error:
            print(f"error: DASHBOARD_FRONT_CACHE: cannot empty nginx's cache: {error}", file=sys.stderr)
            print("run nginx and gunicorn as the same user, or unset DASHBOARD_FRONT_CACHE", file=sys.stderr)
            raise SystemExit(2) from None
        print(f"emptied nginx's cache {front_cache}: {deleted} answers", file=sys.stderr)
