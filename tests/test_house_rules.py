"""House rules that a reader can check by eye and a test can check for ever (DESIGN.md §3).

- A view ends through ``core/actions`` (``perform``, ``perform_form``, ``perform_for_organisation``):
  it never commits, rolls back or puts an operation's error on a form itself.
- A view is short: load, authorise, validate, one operation, answer. Longer work goes into a
  named helper (a page's context, the operation's arguments).
"""

import ast
import re
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
    "comments/views.py:_check_text": "a preview writes nothing: the check's refusals go on the form and the "
    "preview page shows them (no commit, no rollback)",
    "reports/serving.py:serve_report_file": "a GET that records a file's build: two identical requests "
    "at once are expected (the unique constraint answers the second), not an error to show",
    "reports/serving.py:current_export": "the status poll (a GET) records a build that stopped beating as "
    "failed, so the waiting page learns it; nothing to show the visitor but the status",
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


# --- templates ask, they do not decide ---------------------------------------------------------

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

#: What a template must not do, and what it does instead.
TEMPLATE_RULES = [
    (
        r"\.status\.value\s*[=!]=|status\s*[=!]=\s*['\"]",
        "compares a raw status: ask a model property (comment.is_published)",
    ),
    (r"\b[A-Z][A-Za-z]*Status\.[A-Z_]+", "compares a status enum: ask a model property or can(...)"),
    (r"\.role\.value|\.role\s*[=!]=|\bis_admin\b|\bis_official\b", "looks at a role: ask can(...) or a predicate"),
    (r"receipt_prefix\s*}}\s*/|%04d", "formats a receipt number by hand: use the receipt_number filter"),
]


def _violations(text: str) -> list[str]:
    return [why for pattern, why in TEMPLATE_RULES if re.search(pattern, text)]


def test_templates_ask_predicates_and_use_the_receipt_filter():
    found = sorted(
        f"{path.relative_to(ROOT)}:{number}: {why}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for why in _violations(line)
    )
    assert found == []


@pytest.mark.parametrize(
    ("line", "breaks_a_rule"),
    [
        ("{% if comment.status.value == 'hidden' %}", True),
        ("{% if export.status == 'failed' %}", True),
        ("{% if comment.status != CommentStatus.PUBLISHED %}", True),
        ("{% if status == ConsultationStatus.OPEN %}", True),
        ("{% if current_user.is_admin %}", True),
        ("{{ {'admin': _('Administrator')}[user.role.value] }}", True),
        ("{{ consultation.receipt_prefix }}/{{ '%04d' % number }}", True),
        ("{% if can('hide_comment', comment) %}", False),
        ("{% if not comment.is_published %}", False),
        ("{{ number|receipt_number(consultation) }}{{ user.role|role_label }}", False),
        ("<option {% if filters.status == value %}selected{% endif %}>", False),
    ],
)
def test_the_template_rules_catch_what_they_name(line, breaks_a_rule):
    assert bool(_violations(line)) is breaks_a_rule
