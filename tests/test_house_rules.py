"""House rules that a reader can check by eye and a test can check for ever (DESIGN.md §3).

- A view ends through ``core/actions`` (``perform``, ``perform_form``, ``perform_for_organisation``):
  it never commits, rolls back or puts an operation's error on a form itself.
- A view is short: load, authorise, validate, one operation, answer. Longer work goes into a
  named helper (a page's context, the operation's arguments).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONSULT = ROOT / "consult"

#: The files that answer requests: every module's view files, and the report-file answer the API shares.
VIEW_FILES = sorted(CONSULT.glob("*/*views.py")) + [CONSULT / "reports" / "serving.py"]

#: Functions in view files that end a request by hand, and why perform/perform_form does not fit.
HAND_WRITTEN_ENDINGS = {
    "accounts/views.py:log_in": "signing in answers five ways (throttled, wrong password, address not "
    "confirmed: the link sent again and committed, second factor pending: nothing kept, signed in)",
    "accounts/views.py:_finish_sign_in": "Flask-Login's sign-in (not an operation) is committed before "
    "the redirect decides between setting up a second factor and the page asked for",
    "comments/views.py:_preview": "a preview writes nothing: the check's refusal goes on the form and the "
    "preview page shows it (no commit, no rollback)",
    "reports/serving.py:serve_report_file": "a GET that records a file's build: two identical requests "
    "at once are expected (the unique constraint answers the second), not an error to show",
}

#: Body lines of a view (without its docstring).
MAX_VIEW_LINES = 25

ENDING_CALLS = {"db.session.commit", "db.session.rollback", "show_error_on_form"}


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node


def _name(path: Path, function: ast.FunctionDef) -> str:
    return f"{path.relative_to(CONSULT)}:{function.name}"


def _hand_written_ending(function: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.Call) and ast.unparse(n.func) in ENDING_CALLS for n in ast.walk(function))


def _is_view(function: ast.FunctionDef) -> bool:
    """A function with a route decorator (``@bp.get``, ``@bp.route``, ...)."""
    return any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ("route", "get", "post")
        for d in function.decorator_list
    )


def _body_lines(function: ast.FunctionDef) -> int:
    body = function.body
    has_docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and len(body) > 1
    start = body[1].lineno if has_docstring else body[0].lineno
    return function.end_lineno - start + 1


def test_views_end_through_core_actions():
    by_hand = sorted(
        _name(path, function)
        for path in VIEW_FILES
        for function in _functions(path)
        if _hand_written_ending(function) and _name(path, function) not in HAND_WRITTEN_ENDINGS
    )
    assert by_hand == [], "end the view with core.actions.perform / perform_form"


def test_the_allowed_hand_written_endings_still_exist():
    present = {_name(path, f) for path in VIEW_FILES for f in _functions(path) if _hand_written_ending(f)}
    assert set(HAND_WRITTEN_ENDINGS) - present == set(), "no longer by hand: remove it from the list"


def test_views_are_short():
    long_views = sorted(
        f"{_name(path, function)} ({_body_lines(function)} lines)"
        for path in VIEW_FILES
        for function in _functions(path)
        if _is_view(function) and _body_lines(function) > MAX_VIEW_LINES
    )
    assert long_views == [], (
        f"a view over {MAX_VIEW_LINES} lines: move the page's context or the operation's arguments into a helper"
    )


@pytest.mark.parametrize(
    ("source", "by_hand"),
    [
        ("def v():\n    db.session.commit()\n", True),
        ("def v():\n    def page():\n        db.session.rollback()\n", True),
        ("def v(form, e):\n    show_error_on_form(form, e)\n", True),
        ("def v():\n    return perform_form(lambda: 1, form=None, page=p, success=None, redirect_to='/')\n", False),
    ],
)
def test_the_reader_sees_an_ending_by_hand(source, by_hand):
    assert _hand_written_ending(ast.parse(source).body[0]) is by_hand
