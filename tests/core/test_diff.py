import pytest

from consult.core.diff import DiffPart, has_changes, render_word_diff, word_diff


def test_a_changed_amount_is_one_deletion_and_one_insertion_with_the_rest_equal():
    parts = word_diff("nie przekracza kwoty 10 000 zł, a zadanie", "nie przekracza kwoty 20 000 zł, a zadanie")
    assert parts == [
        DiffPart("equal", "nie przekracza kwoty "),
        DiffPart("delete", "10 "),
        DiffPart("insert", "20 "),
        DiffPart("equal", "000 zł, a zadanie"),
    ]


def test_re_wrapped_whitespace_is_not_a_change():
    assert not has_changes(word_diff("Gmina  współpracuje\nz organizacjami.", "Gmina współpracuje z organizacjami."))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "nowy przepis", [DiffPart("insert", "nowy przepis")]),
        ("stary przepis", "", [DiffPart("delete", "stary przepis")]),
        ("a b c", "a c", [DiffPart("equal", "a "), DiffPart("delete", "b "), DiffPart("equal", "c")]),
    ],
)
def test_additions_and_deletions(old, new, expected):
    assert word_diff(old, new) == expected


def test_rendered_diff_marks_words_for_screen_readers_and_without_colour(app):
    with app.test_request_context("/"):  # Polish, the default
        html = str(render_word_diff("kwoty 10 000 zł", "kwoty 20 000 zł"))
    assert html == (
        'kwoty <del class="diff-del"><span class="visually-hidden">usunięto: </span>'
        '<span class="diff-words">10</span></del> '
        '<ins class="diff-ins"><span class="visually-hidden">dodano: </span>'
        '<span class="diff-words">20</span></ins> 000 zł'
    )


def test_rendered_diff_escapes_every_word(app):
    with app.test_request_context("/"):
        html = str(
            render_word_diff("<b>stary</b> tekst", '<script>alert("x")</script> tekst & <img src=x onerror=alert(1)>')
        )
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&amp;" in html
