"""Shared fixtures. The model is loaded once per test session: it is immutable, so tests cannot disturb each other."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from dashboard.model import DEFAULT_DATA_DIR, load_model

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def free_port() -> int:
    """A loopback port nothing listens on now (for servers the tests start: nginx, PostgreSQL, replicas)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def model():
    return load_model()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session, shared by the browser and infra tests.

    Defined here, not in tests/browser/conftest.py, because Playwright's sync API cannot start twice in one thread:
    a second copy of the fixture in another folder's conftest failed with "Sync API inside the asyncio loop".
    """
    from tests.browser.conftest import CHROME_ARGS, CHROMIUM

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: bin/test installs it (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield b
        b.close()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    dst = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, dst)
    return dst

# The app re-raises errors instead of showing its friendly message, so that tests see them.
os.environ.setdefault("KURIL_DEBUG", "1")
# The app looks at data/ at most once a second; the tests that edit data/ under a running app look every run.
os.environ.setdefault("KURIL_DATA_RECHECK_SECONDS", "0")
# The library's database: a SQLite file of this test process's own (each xdist worker its own), never var/. The
# app servers the browser tests start inherit it.
os.environ.setdefault("KURIL_DATABASE_URL",
                      f"sqlite:///{tempfile.mkdtemp(prefix='kuril-library-')}/library.sqlite3")
