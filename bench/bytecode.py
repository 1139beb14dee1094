"""The byte-code of the installed packages and of the project, compiled before a benchmark starts its workers."""

import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_bytecode() -> None:
    """Compile the byte-code of the installed packages and of the project, as ``pip install`` does for a deployment.

    ``make install`` leaves it to the first import, and where ``PYTHONDONTWRITEBYTECODE`` is set nothing is kept:
    each worker would then compile the modules it imports from source, which takes it 10–20 MB of memory (redis-py's
    alone about 15 MB) that a deployed worker does not spend.
    """
    started = time.perf_counter()
    paths = [
        sysconfig.get_paths()["purelib"],
        *(str(ROOT / name) for name in ("learningcity", "partners", "events", "site")),
    ]
    subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *paths], check=True, stdout=subprocess.DEVNULL
    )
    print(f"byte-code compiled in {time.perf_counter() - started:.0f} s")
