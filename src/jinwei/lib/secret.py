"""The secret key kept in the data folder when none is given in the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def load_or_create_secret_key(data_dir: Path) -> str:
    """Read `secret_key` from the data folder, creating it (mode 600) on first run.

    Created with O_EXCL so two processes starting at once cannot write different keys.
    """
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
