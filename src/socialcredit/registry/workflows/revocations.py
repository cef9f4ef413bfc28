"""A revoked key stops working at once on every server of this host.

API servers cache resolved keys for a few seconds (``auth_cache_seconds``), each worker process
its own cache. A revocation, through the API or the command line, touches a signal file named
after the registry's database (in the system's temporary directory); every worker looks at the
file's modification stamp before trusting its cache (one ``stat``, about a microsecond) and
empties the cache when it changed. Servers on other hosts still rely on the cache's expiry.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def signal_path(database_url: str) -> Path:
    """The signal file of the registry at ``database_url``."""
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:24]
    return Path(tempfile.gettempdir()) / f"socialcredit-revocations-{digest}"


def signal_revocation(database_url: str) -> None:
    """Tell this host's servers that a key was revoked."""
    path = signal_path(database_url)
    path.touch()
    os.utime(path)  # a new stamp even when the file existed


def revocation_stamp(path: Path) -> int:
    """The signal's stamp (0 before any revocation)."""
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return 0
