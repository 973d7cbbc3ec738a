"""The secret key kept in the data folder when none is given in the environment."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


def load_or_create_secret_key(data_dir: Path) -> str:
    """Read `secret_key` from the data folder, creating it (mode 600) on first run.

    The key is written to a private temporary file and linked into place, which fails if the
    file exists: two processes starting at once (test workers, a server and a command) agree on
    one key, and neither can read a file the other has created but not yet written.
    """
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.")  # mode 600
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()
