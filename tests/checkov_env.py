"""The separate virtual environment for the checkov test: checkov (pinned) plus finops-lint's dependencies;
finops-lint itself comes from the checkout through PYTHONPATH. Built once and reused while the pins and the
interpreter stay the same ($FINOPS_CHECKOV_VENV, default .ci-venv-checkov/ in the checkout). A file lock lets
.ci/run start the build in the background (``python tests/checkov_env.py &``) while the suite runs."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = "checkov==3.3.30"  # pinned: a known resolution keeps the one-time install short and the output stable


def location() -> Path:
    return Path(os.environ.get("FINOPS_CHECKOV_VENV") or ROOT / ".ci-venv-checkov")


def requirements() -> list[str]:
    """checkov and finops-lint's own dependencies, as pyproject.toml lists them."""
    text = (ROOT / "pyproject.toml").read_text()
    block = text.split("\ndependencies = [", 1)[1].split("]", 1)[0]
    return [CHECKOV, *(line.strip().strip(",").strip('"') for line in block.splitlines() if line.strip())]


def ensure() -> tuple[Path | None, str]:
    """(the environment, "") when ready; (None, pip's output) when it could not be built."""
    venv = location()
    venv.parent.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256("\n".join([sys.version, *requirements()]).encode()).hexdigest()
    stamp = venv / "finops-lint-requirements.sha256"
    with open(f"{venv}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build already running (from .ci/run) is waited for, not repeated
        if stamp.is_file() and stamp.read_text() == key and (venv / "bin" / "checkov").is_file():
            return venv, ""
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                               "--disable-pip-version-check", *requirements()],
                              capture_output=True, text=True, timeout=1500)
        if proc.returncode:
            shutil.rmtree(venv, ignore_errors=True)
            return None, proc.stdout + proc.stderr
        stamp.write_text(key)
        return venv, ""


if __name__ == "__main__":
    path, output = ensure()
    print(f"checkov environment: {path}" if path else output[-3000:])
    sys.exit(0 if path else 1)
