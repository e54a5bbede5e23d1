"""The infra tests reuse the browser tests' Chromium (one per test session)."""

from tests.browser.conftest import browser  # noqa: F401  (a fixture, imported by name so pytest finds it here)
