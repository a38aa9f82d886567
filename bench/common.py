"""Paths, the targets and the small helpers every bench module uses."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
MANAGE = [PYTHON, "manage.py"]

# The targets, per cache mode.
MIN_CEILING_RATIO = {"on": 0.25, "off": 0.05}
# The scale the other scales are compared with, and how much slower they may be.
REFERENCE_SCALE = 10
MAX_SCALING_FACTOR = 1.5
API_LIST_P99_MS = 100


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def run(command: list[str], env: dict, *, capture: bool = False) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=capture)
    if result.returncode:
        output = (result.stdout or "") + (result.stderr or "") if capture else ""
        raise SystemExit(f"Failed ({result.returncode}): {' '.join(command)}\n{output}")
    return result.stdout or ""


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
