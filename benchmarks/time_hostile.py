"""Time issue 10's suite (``pytest -m hostile``) as CI runs it: wall time, the load average
around it, and the CPU of the whole process tree (every index worker and fork server
included) from a cgroup-v1 cpuacct group when run as root, else only reaped children.

    python benchmarks/time_hostile.py [extra pytest arguments]

Prints pytest's tail (with ``--durations=25``) and one summary line; the figures for the
README and benchmarks/results come from here.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUP = Path("/sys/fs/cgroup/cpuacct/newsreader-hostile-suite")


def _group() -> Path | None:
    try:
        GROUP.mkdir(exist_ok=True)
        return GROUP if (GROUP / "cpuacct.usage").exists() else None
    except OSError:
        return None


def main() -> int:
    group = _group()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "hostile",
               "--durations=25", *sys.argv[1:]]
    load_before = os.getloadavg()
    cpu_before = int((group / "cpuacct.usage").read_text()) if group else 0
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()

    def enter_group() -> None:
        if group:
            (group / "cgroup.procs").write_text(str(os.getpid()))

    result = subprocess.run(command, cwd=ROOT, preexec_fn=enter_group)
    wall = time.monotonic() - started
    load_after = os.getloadavg()
    if group:
        cpu = (int((group / "cpuacct.usage").read_text()) - cpu_before) / 1e9
        how = "whole process tree (cgroup cpuacct)"
    else:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
        how = "reaped children only (a lower bound)"
    print(f"hostile suite: exit {result.returncode}, wall {wall:.1f} s, CPU {cpu:.1f} s ({how}), "
          f"load average {load_before[0]:.1f} before / {load_after[0]:.1f} after, {os.cpu_count()} CPUs")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
