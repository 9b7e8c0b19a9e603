"""Numbers from the address: ``<int:...>`` and query-string integers never reach the database out of range."""

import pytest

from consult.core.inputs import MAX_ID, bounded_int, int_arg

HUGE = [str(2**31), str(2**63), str(10**30)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (str(MAX_ID), MAX_ID),
        (str(2**31), None),
        (str(10**30), None),
        ("0", None),
        ("-1", None),
        ("abc", None),
        ("1e3", None),
        ("١٢", None),  # Arabic-Indic digits are digits to str.isdigit, not to us
        ("", None),
        (None, None),
    ],
)
def test_bounded_int(value, expected):
    assert bounded_int(value) == expected


def test_int_arg_defaults_and_not_found(app):
    with app.test_request_context(f"/?page={2**63}&size=-3&n=7"):
        assert int_arg("page", 1) == 1
        assert int_arg("size", 10, minimum=1) == 10
        assert int_arg("n", 1) == 7
        assert int_arg("missing", 5) == 5
        with pytest.raises(Exception) as raised:
            int_arg("page", not_found=True)
        assert getattr(raised.value, "code", None) == 404


def test_no_path_part_takes_a_control_character(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/consultations/program-2027")[0] == "consultations.show_consultation"
    for path in ["/consultations/a\x00b", "/consultations/\x1b", "/consultations/x/versions/1..\x00"]:
        with pytest.raises(Exception) as raised:
            adapter.match(path)
        assert getattr(raised.value, "code", None) == 404, path


def test_every_int_rule_uses_the_bounded_converter(app):
    from consult.core.inputs import BoundedIntegerConverter

    converters = [c for rule in app.url_map.iter_rules() for c in (rule._converters or {}).values()]
    numbers = [c for c in converters if type(c).__name__.endswith("IntegerConverter")]
    assert numbers, "the app has <int:...> rules"
    assert all(isinstance(c, BoundedIntegerConverter) and c.max == MAX_ID for c in numbers)


URLS_WITH_IDS = [
    "/consultations/program-dostepny/comments/{n}",
    "/organisations/{n}",
    "/consultations/program-dostepny/versions/{n}",
    "/consultations/program-zamkniety/report/v{n}",
    "/consultations/program-zamkniety/report/v{n}.pdf",
    "/consultations/program-zamkniety/report/v{n}.pdf/status",
]


def test_huge_negative_and_non_numeric_ids_are_not_found(client, scene, login):
    login(scene["official"])
    answers = {
        template.format(n=number): client.get(template.format(n=number)).status_code
        for template in [*URLS_WITH_IDS, "/manage/consultations/program-dostepny/comments/{n}"]
        for number in [*HUGE, "-1", "x"]
    }
    assert set(answers.values()) == {404}, answers


def test_huge_query_numbers_are_ignored(client, scene, login):
    login(scene["admin"])
    queries = [f"organisation={2**63}", f"page={2**63}", f"theme={10**30}", "page=-5", "organisation=x"]
    pages = [
        "/manage/consultations/program-dostepny/moderation",
        "/admin/audit",
        "/admin/outbox",
        "/consultations/program-dostepny/comments",
        "/manage/consultations/program-dostepny/groups",
    ]
    answers = {f"{page}?{query}": client.get(f"{page}?{query}").status_code for page in pages for query in queries}
    assert set(answers.values()) == {200}, answers


def test_comment_list_version_out_of_range_is_not_found(client, scene):
    for version in [str(2**63), "-1", "x"]:
        assert client.get(f"/consultations/program-dostepny/comments?version={version}").status_code == 404
