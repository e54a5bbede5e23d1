"""A real PostgreSQL server for the tests: Debian's ``postgresql`` (installed by bin/test), started with initdb and
pg_ctl in a temporary folder on a free loopback port, with a password, and removed afterwards.

As root (CI, this machine) the server runs as the ``postgres`` user Debian's package creates (PostgreSQL refuses
to run as root); as anyone else, as that user.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


@dataclasses.dataclass
class PgServer:
    folder: Path
    port: int
    password: str
    bin: Path
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://kuril:{self.password}@127.0.0.1:{self.port}/kuril"

    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), *args],
                              capture_output=True, text=True, timeout=60, check=check)

    def start(self) -> None:
        self._ctl("-w", "-t", "30", "-l", str(self.folder / "server.log"), "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._ctl("-w", "-m", "fast", "stop", check=False)

    def running(self) -> bool:
        return self._ctl("status", check=False).returncode == 0


@contextlib.contextmanager
def postgres_server() -> Iterator[PgServer]:
    """A fresh PostgreSQL with a database ``kuril`` owned by user ``kuril`` (password auth on TCP)."""
    binary = pg_bin()
    if binary is None:
        pytest.fail("Debian's postgresql is missing: bin/test installs it (apt-get install -y postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="kuril-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(folder, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    folder.chmod(0o755)
    password = secrets.token_urlsafe(12)
    pwfile = folder / "pw"
    pwfile.write_text(password + "\n")
    if as_user:
        os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
    server = PgServer(folder, free_port(), password, binary, as_user)
    try:
        subprocess.run([*as_user, str(binary / "initdb"), "-D", str(folder / "data"), "-U", "kuril",
                        f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"],
                       capture_output=True, text=True, timeout=120, check=True)
        pwfile.unlink()
        server.start()
        env = {**os.environ, "PGPASSWORD": password}
        subprocess.run([str(binary / "createdb"), "-h", "127.0.0.1", "-p", str(server.port), "-U", "kuril", "kuril"],
                       env=env, capture_output=True, text=True, timeout=60, check=True)
        yield server
    finally:
        server.stop()
        deadline = time.monotonic() + 10
        while server.running() and time.monotonic() < deadline:
            time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)
