"""bin/serve: several replicas behind nginx on one machine, started, used through nginx, and stopped cleanly."""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT, free_port
from tests.infra.helpers import NGINX

SERVE = [sys.executable, str(ROOT / "deploy" / "serve.py")]
pytestmark = pytest.mark.infra


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_pair() -> int:
    for _ in range(200):
        p = random.randint(20_000, 40_000)
        if _port_free(p) and _port_free(p + 1):
            return p
    raise RuntimeError("no two free consecutive ports")


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, dict(r.headers), r.read()


def test_two_replicas_answer_through_nginx_and_stop_together():
    if not os.path.exists(NGINX):
        pytest.fail("Debian's nginx is missing: bin/test installs it (apt-get install -y nginx)")
    first, listen = _free_pair(), free_port()
    proc = subprocess.Popen([*SERVE, "--replicas", "2", "--first-port", str(first), "--listen", f"127.0.0.1:{listen}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        line = proc.stdout.readline()  # the first line is printed once every replica is healthy and nginx started
        assert f"http://127.0.0.1:{listen}" in line, line + proc.stdout.read() if proc.poll() is not None else line
        logs = re.search(r"logs in (\S+);", line)[1]
        for port in (first, first + 1):  # both replicas up, on loopback
            assert _get(f"http://127.0.0.1:{port}/_stcore/health")[0] == 200
        for _ in range(50):  # nginx may need a moment to bind
            try:
                status, headers, body = _get(f"http://127.0.0.1:{listen}/")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200 and b"<div id=\"root\">" in body
        assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", "")
        assert headers.get("Set-Cookie", "").startswith("kuril_replica=")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    # Everything stopped: nothing listens on the replicas' ports or nginx's, and the temporary folder is gone.
    for port in (first, first + 1, listen):
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"something still listens on {port}"
    assert not os.path.exists(logs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--replicas", "0"], "--replicas must be between 1 and 32, got 0"),
        (["--replicas", "two"], "invalid int value: 'two'"),
        (["--listen", "8080; include /etc/passwd"], "--listen: not an address nginx can use here"),
        (["--first-port", "80"], "--first-port must leave room"),
    ],
)
def test_bad_arguments_are_refused_with_the_reason(args, message):
    r = subprocess.run([*SERVE, *args], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_a_busy_port_is_named():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        r = subprocess.run([*SERVE, "--replicas", "1", "--first-port", str(busy)], capture_output=True, text=True,
                           timeout=30)
    assert r.returncode == 2 and f"port(s) {busy} on 127.0.0.1 are in use" in r.stderr, r.stderr
