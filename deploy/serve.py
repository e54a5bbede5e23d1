"""Serve the dashboard from several processes behind nginx on one machine: ``bin/serve`` runs this.

One Streamlit process runs its scripts under one interpreter lock, so it uses about one core whatever the machine
has; on the 2-core test machine one process held 50 viewers only narrowly (docs/load-test.md). Two processes behind
deploy/nginx.conf (sticky sessions, websockets, security headers) use both cores. Every link carries its whole
scenario, so any replica can open any link.

    python deploy/serve.py                      # one replica per core, nginx on http://localhost:8080
    python deploy/serve.py --replicas 3 --listen 127.0.0.1:9000 --first-port 8601

The replicas listen on 127.0.0.1 only (ports --first-port, --first-port + 1, ...); nginx is the only way in. Their
logs and nginx's are in a temporary folder, printed at start and removed at exit. Ctrl-C (or SIGTERM) stops all.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import render_nginx  # noqa: E402  (deploy/ is not a package: its sibling is imported by path)


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        # As Streamlit (tornado) binds: a port whose last connections are in TIME_WAIT is free for a new server.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:  # noqa: S310 (our own loopback URL)
            return r.status == 200
    except OSError:
        return False


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="bin/serve", description=__doc__.split("\n\n")[0])
    cores = len(os.sched_getaffinity(0))  # the cores this process may use (a container's share), not the host's
    ap.add_argument("--replicas", type=int, default=max(1, cores),
                    help="app processes to start (default: one per core, here %(default)s)")
    ap.add_argument("--listen", default="8080", help="where nginx listens: port or host:port (default 8080)")
    ap.add_argument("--first-port", type=int, default=8501, help="the first replica's port on 127.0.0.1 (8501)")
    args = ap.parse_args(argv)
    if not 1 <= args.replicas <= 32:
        ap.error(f"--replicas must be between 1 and 32, got {args.replicas}")
    if not 1024 <= args.first_port <= 65535 - args.replicas:
        ap.error(f"--first-port must leave room for {args.replicas} ports between 1024 and 65535, "
                 f"got {args.first_port}")
    try:
        render_nginx.check_address(args.listen)
    except ValueError as e:
        ap.error(f"--listen: {e}")
    busy = [p for p in range(args.first_port, args.first_port + args.replicas) if not _port_free(p)]
    if busy:
        ap.error(f"port(s) {', '.join(map(str, busy))} on 127.0.0.1 are in use: choose another --first-port")
    if not os.path.exists(render_nginx.NGINX):
        ap.error("nginx is not installed: apt-get install -y nginx")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ports = [args.first_port + i for i in range(args.replicas)]
    with contextlib.ExitStack() as stack:
        prefix = Path(tempfile.mkdtemp(prefix="kuril-serve-"))
        stack.callback(shutil.rmtree, prefix, ignore_errors=True)
        (prefix / "logs").mkdir()  # the replicas' logs; nginx_command() prepares the rest
        procs: list[subprocess.Popen] = []

        def stop_all() -> None:
            for p in procs:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)

        stack.callback(stop_all)
        # SIGTERM (docker stop, systemd) ends the run like Ctrl-C does, through the clean-up above.
        signal.signal(signal.SIGTERM, _interrupt)

        def start_replica(i: int) -> subprocess.Popen:
            log = stack.enter_context(open(prefix / "logs" / f"replica-{i + 1}.log", "a"))
            return subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
                 "--server.address=127.0.0.1", f"--server.port={ports[i]}"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

        procs.extend(start_replica(i) for i in range(len(ports)))
        deadline = time.monotonic() + 60
        pending = {f"http://127.0.0.1:{p}" for p in ports}
        try:
            while pending:
                pending = {u for u in pending if not _healthy(u)}
                dead = [i + 1 for i, p in enumerate(procs) if p.poll() is not None]
                if dead or time.monotonic() > deadline:
                    why = f"replica(s) {dead} exited" if dead else "not healthy after 60 s"
                    print(f"bin/serve: {why}; their logs:", file=sys.stderr)
                    for f in sorted((prefix / "logs").glob("replica-*.log")):
                        print(f"--- {f.name}\n{f.read_text()[-3000:]}", file=sys.stderr)
                    return 1
                time.sleep(0.3)

            command = render_nginx.nginx_command(prefix, args.listen, [f"127.0.0.1:{p}" for p in ports])
            nginx = subprocess.Popen(command, start_new_session=True)
            procs.append(nginx)
            listen = args.listen if ":" in args.listen else f"localhost:{args.listen}"
            print(f"bin/serve: {args.replicas} replica(s) on 127.0.0.1:{ports[0]}-{ports[-1]} behind nginx: "
                  f"http://{listen}  (logs in {prefix}/logs; Ctrl-C stops)", flush=True)
            while True:
                if nginx.poll() is not None:
                    print(f"bin/serve: nginx exited (code {nginx.returncode}); stopping the replicas. Its error log:\n"
                          f"{(prefix / 'logs' / 'error.log').read_text()[-3000:]}", file=sys.stderr)
                    return 1
                # A replica that dies is started again, as Kubernetes would; meanwhile nginx sends its browsers to
                # the others (they reconnect by themselves, and their links restore their views).
                for i in range(len(ports)):
                    if procs[i].poll() is not None:
                        print(f"bin/serve: replica {i + 1} exited (code {procs[i].returncode}); starting it again",
                              file=sys.stderr, flush=True)
                        procs[i] = start_replica(i)
                time.sleep(1)
        except KeyboardInterrupt:
            print("bin/serve: stopping", file=sys.stderr)
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
