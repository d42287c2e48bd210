"""Train the Rasa model only when its inputs changed (fingerprint of files, not timestamps)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "djpk.tar.gz"
STAMP = ROOT / "models" / "djpk.fingerprint"
INPUTS = ["config.yml", "domain.yml", "data", "components", "bot/text.py", "requirements.lock"]
# Code whose behaviour Rasa's own training cache cannot see (it keys on config and data only).
CODE = ["components", "bot/text.py", "requirements.lock"]


def fingerprint(inputs: list[str] = INPUTS) -> str:
    """SHA-256 over the path and bytes of every training input."""
    digest = hashlib.sha256()
    for name in inputs:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".pyc" or not file.exists():
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def main() -> int:
    current = fingerprint()
    if MODEL.exists() and STAMP.exists() and STAMP.read_text().strip() == current:
        print(f"model up to date ({MODEL.relative_to(ROOT)}, fingerprint {current[:12]})")
        return 0
    rasa = Path(sys.executable).parent / "rasa"
    staging = MODEL.parent / ".staging"
    command = [str(rasa), "train", "--fixed-model-name", "djpk", "--out", str(staging)]
    print("training:", " ".join(command), flush=True)
    cache = Path.home() / ".cache" / "djpk-rasa" / fingerprint(CODE)[:16]
    env = {**os.environ, "RASA_CACHE_DIRECTORY": os.environ.get("RASA_CACHE_DIRECTORY", str(cache))}
    result = subprocess.run(command, cwd=ROOT, env=env)
    trained = staging / MODEL.name
    if result.returncode != 0 or not trained.exists():
        return result.returncode or 1
    os.replace(trained, MODEL)  # atomic: a running server never reads a half-written model
    STAMP.write_text(current + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
