"""Debian's Chromium for the browser tests (Playwright drives it; its own browser download is
not used)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

# Without the background-networking flags Chromium keeps calling out of a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> str:
    """Debian's Chromium, installed here if missing (root, apt); a failure says why."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        pytest.fail("Chromium is needed: apt-get install -y chromium", pytrace=False)
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            pytest.fail(f"could not install Chromium: {done.stderr[-2000:]}", pytrace=False)
    found = shutil.which("chromium")
    if not found:
        pytest.fail("apt-get installed chromium but it is not on PATH", pytrace=False)
    return found
