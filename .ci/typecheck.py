"""Type-check consult/ with mypy and hold every file to its count of errors in the baseline.

The baseline (.ci/mypy-baseline.json: file → errors) may only shrink: a file with more errors
than it allows (or a new file with any) fails the check; a file with fewer passes and says to
lower its number, so the fix is kept. ``--update`` writes the current counts (only to lower
them: review the diff).

    .venv/bin/python .ci/typecheck.py [--update]
"""

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".ci" / "mypy-baseline.json"
ERROR = re.compile(r"^(?P<file>[^:\s]+\.py):\d+: error: ")


def current_errors() -> tuple[Counter, str]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / ".ci" / "mypy.ini")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 1):  # 2: mypy itself failed (a syntax error, a bad option)
        sys.exit(f"mypy could not run:\n{result.stdout}{result.stderr}")
    counts = Counter(m["file"] for line in result.stdout.splitlines() if (m := ERROR.match(line)))
    return counts, result.stdout


def compare(counts: Counter, baseline: dict[str, int]) -> tuple[list[str], list[str]]:
    """(files with more errors than allowed, files with fewer)."""
    worse = [
        f"{f}: {n} errors (baseline {baseline.get(f, 0)})" for f, n in sorted(counts.items()) if n > baseline.get(f, 0)
    ]
    better = [
        f"{f}: {counts.get(f, 0)} errors (baseline {n})" for f, n in sorted(baseline.items()) if counts.get(f, 0) < n
    ]
    return worse, better


def main() -> int:
    counts, output = current_errors()
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if "--update" in sys.argv:
        BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n")
        print(f"Baseline written: {sum(counts.values())} errors in {len(counts)} files.")
        return 0
    worse, better = compare(counts, baseline)
    if worse:
        worse_files = {line.split(":")[0] for line in worse}
        print("\n".join(line for line in output.splitlines() if line.split(":")[0] in worse_files))
        print("\nMore type errors than the baseline allows:\n  " + "\n  ".join(worse))
        return 1
    print(f"mypy: {sum(counts.values())} errors in {len(counts)} files, none above the baseline.")
    if better:
        print(
            "Fewer errors than the baseline — lower it (.ci/typecheck.py --update) so they stay fixed:\n  "
            + "\n  ".join(better)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
