"""gunicorn settings for production, behind nginx (deploy/nginx.conf): `gunicorn app:server` from the repository root.

Options given on the command line win over these, e.g. `gunicorn --bind 0.0.0.0:8050 app:server`.
"""

import gc
import os

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


# The model, Dash and plotly make about 200,000 objects in the master (preload_app) that live as long as the process.
# Python's full garbage collection walks them all: about 100 ms, inside whichever request triggers it (the slowest
# frame of a ▶ Play). Frozen before the workers fork, they are never walked again (the workers' own objects still
# are), and collections no longer write to the pages the workers share with the master.
def when_ready(server: object) -> None:
    """After the app is loaded in the master, before the first worker forks: freeze what exists."""
    gc.freeze()
