"""Shared by the infra tests: app replicas that a test can kill, where nginx is, deploy/render_nginx.py, a free
loopback port."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import os
import shutil
import signal
import subprocess
import threading
import urllib.parse
from unittest import mock

from tests.browser.conftest import app_server
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def _load_renderer():
    """deploy/render_nginx.py, imported from its path (deploy/ is not a package)."""
    spec = importlib.util.spec_from_file_location("render_nginx", DEPLOY / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render_nginx = _load_renderer()
NGINX = render_nginx.NGINX


@dataclasses.dataclass
class Replica:
    url: str
    proc: subprocess.Popen
    log: list[str] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        # app_server() reads the output only until the app is up: keep reading it, so that a replica never blocks
        # on a full pipe, and so that its log can be shown. The reader closes the pipe at the end.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        with self.proc.stdout as out:
            for line in out:
                self.log.append(line)

    @property
    def address(self) -> str:
        return urllib.parse.urlsplit(self.url).netloc

    def kill(self) -> None:
        """A crash: SIGKILL to the replica's whole process group. app_server()'s clean-up then finds it gone."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


def start_replica(stack: contextlib.ExitStack) -> Replica:
    """``app_server()`` unchanged (same command line, environment, health wait and clean-up), with its process
    recorded so that a test can kill it. Its temporary home folder is removed after it stops."""
    started: list[subprocess.Popen] = []
    homes: list[str] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started.append(proc)
        homes.append(kwargs["env"]["HOME"])
        return proc

    stack.callback(lambda: [shutil.rmtree(h, ignore_errors=True) for h in homes])  # runs after app_server's exit
    with mock.patch.object(subprocess, "Popen", recording_popen):
        url = stack.enter_context(app_server())
    (proc,) = started
    return Replica(url, proc)
