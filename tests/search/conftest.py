"""The comment factories of tests/comments, for searching what they make."""

from tests.comments.conftest import add_comment, paragraph_of, representative  # noqa: F401  (fixtures)
