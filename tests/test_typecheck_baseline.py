"""The type-check baseline only shrinks: .ci/typecheck.py fails a file that gains errors."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _typecheck():
    spec = importlib.util.spec_from_file_location("typecheck", ROOT / ".ci" / "typecheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_file_with_more_errors_or_a_new_file_with_any_fails_and_fewer_asks_to_lower_the_baseline():
    compare = _typecheck().compare
    baseline = {"consult/a.py": 2, "consult/b.py": 3}
    worse, better = compare({"consult/a.py": 3, "consult/b.py": 1, "consult/new.py": 1}, baseline)
    assert worse == ["consult/a.py: 3 errors (baseline 2)", "consult/new.py: 1 errors (baseline 0)"]
    assert better == ["consult/b.py: 1 errors (baseline 3)"]
    assert compare({"consult/a.py": 2}, baseline) == ([], ["consult/b.py: 0 errors (baseline 3)"])


def test_the_baseline_lists_files_that_exist_with_positive_counts():
    baseline = json.loads((ROOT / ".ci" / "mypy-baseline.json").read_text())
    assert all(count > 0 and (ROOT / name).is_file() for name, count in baseline.items())
    assert not [name for name in baseline if name.endswith("models.py")]  # typed declarative models: no errors
