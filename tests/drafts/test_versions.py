"""New versions of a draft: keys that survive every kind of revision, the matching an
official can correct, comparisons (pages and JSON), comments across versions."""

import io
import textwrap

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.comments.models import Comment
from consult.drafts.importers import parse_markdown, parse_odt
from consult.drafts.models import DraftVersion, Paragraph, VersionStatus
from consult.drafts.operations import import_draft, publish_version
from consult.drafts.queries import current_version

LIST_DRAFT = textwrap.dedent("""\
    # Program

    ## Rozdział I. Cele

    § 1. 1. Celem głównym programu jest budowanie partnerstwa między Gminą a organizacjami.

    2. Celami szczegółowymi programu są:
    1) wzmocnienie potencjału organizacji pozarządowych działających w mieście;
    2) zwiększenie udziału mieszkańców w rozwiązywaniu lokalnych problemów:
    a) w dzielnicach o niskiej aktywności,
    b) w osiedlach nowo powstałych;
    3) poprawa jakości życia mieszkańców przez pełniejsze zaspokajanie potrzeb.

    3. Program obowiązuje od dnia 1 stycznia do dnia 31 grudnia.

    ## Rozdział II. Zasady

    § 2. Współpraca odbywa się na zasadach pomocniczości, suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji i jawności.
    """)


def _publish(consultation, markdown: str) -> DraftVersion:
    version = import_draft(consultation, parse_markdown(markdown), None)
    publish_version(version, None, new_text_confirmed=True, comments_open_confirmed=True)
    return version


def _keys_by_text(db, version) -> dict[str, str]:
    return dict(
        db.session.execute(sa.select(Paragraph.text, Paragraph.key).where(Paragraph.version_id == version.id)).all()
    )


def _labels_by_key(db, version) -> dict[str, str]:
    return dict(
        db.session.execute(sa.select(Paragraph.key, Paragraph.label).where(Paragraph.version_id == version.id)).all()
    )


@pytest.mark.parametrize(
    ("inserted_before", "insertion", "renumbered"),
    [
        # a new ustęp 1 renumbers ustępy 1-3 (and the punkty under ust. 2)
        (
            "§ 1. 1. Celem",
            "§ 1. 1. Program wyraża wolę współpracy z organizacjami.\n\n2. Celem",
            {"Celem głównym programu jest budowanie partnerstwa między Gminą a organizacjami.": "§ 1 ust. 2"},
        ),
        # a new punkt 1 renumbers punkty 1-3 (the case: KONS-2012/0011)
        (
            "1) wzmocnienie",
            "1) rozwój wolontariatu w mieście;\n2) wzmocnienie",
            {"wzmocnienie potencjału organizacji pozarządowych działających w mieście;": "§ 1 ust. 2 pkt 2"},
        ),
        # a new litera a renumbers litery a-b
        (
            "a) w dzielnicach o niskiej aktywności,\nb) w osiedlach",
            "a) w całym mieście,\nb) w dzielnicach o niskiej aktywności,\nc) w osiedlach",
            {"w osiedlach nowo powstałych;": "§ 1 ust. 2 pkt 2 lit. c"},
        ),
    ],
)
def test_keys_survive_an_insertion_that_renumbers_every_level(
    db, create_consultation, inserted_before, insertion, renumbered
):
    consultation = create_consultation("open", draft=LIST_DRAFT)
    first = current_version(consultation.id)
    second = _publish(consultation, LIST_DRAFT.replace(inserted_before, insertion, 1))
    db.session.commit()
    old, new = _keys_by_text(db, first), _keys_by_text(db, second)
    for text, key in old.items():
        assert new[text] == key, text  # every provision kept its key, renumbered or not
    (added,) = set(new.values()) - set(old.values())
    assert added not in old.values()
    labels = _labels_by_key(db, second)
    for text, label in renumbered.items():
        assert labels[new[text]] == label


def test_edit_move_split_merge_and_delete_keep_keys_as_the_rules_say(db, create_consultation):
    consultation = create_consultation("open", draft=LIST_DRAFT)
    first = current_version(consultation.id)
    old = _keys_by_text(db, first)
    revised = (
        LIST_DRAFT.replace(
            "2) zwiększenie udziału mieszkańców w rozwiązywaniu lokalnych problemów:",
            "2) zwiększenie udziału mieszkańców w rozwiązywaniu lokalnych i ogólnomiejskich problemów:",
        )  # edited
        .replace(
            "3) poprawa jakości życia mieszkańców przez pełniejsze zaspokajanie potrzeb.\n",
            "",
        )  # deleted
        .replace(
            "3. Program obowiązuje od dnia 1 stycznia do dnia 31 grudnia.",
            "3. Program obowiązuje od dnia 1 stycznia.\n\n4. Program wygasa z dniem 31 grudnia.",
        )  # split
        .replace(
            "a) w dzielnicach o niskiej aktywności,\nb) w osiedlach nowo powstałych;",
            "a) w dzielnicach o niskiej aktywności oraz w osiedlach nowo powstałych;",
        )  # merged
        .replace(
            "§ 1. 1. Celem głównym programu jest budowanie partnerstwa między Gminą a organizacjami.\n\n",
            "§ 1.\n\n",
        )  # moved to the end of § 2
        .replace(
            "jawności.\n",
            "jawności.\n\n2. Celem głównym programu jest budowanie partnerstwa między Gminą a organizacjami.\n",
        )
    )
    second = _publish(consultation, revised)
    db.session.commit()
    new = _keys_by_text(db, second)
    edited = "zwiększenie udziału mieszkańców w rozwiązywaniu lokalnych i ogólnomiejskich problemów:"
    assert new[edited] == old["zwiększenie udziału mieszkańców w rozwiązywaniu lokalnych problemów:"]
    moved = "Celem głównym programu jest budowanie partnerstwa między Gminą a organizacjami."
    assert new[moved] == old[moved]
    # split: the first part keeps the key, the second is a provision of its own
    assert (
        new["Program obowiązuje od dnia 1 stycznia."]
        == old["Program obowiązuje od dnia 1 stycznia do dnia 31 grudnia."]
    )
    assert new["Program wygasa z dniem 31 grudnia."] not in old.values()
    # merge: the merged provision keeps the key of the first
    assert (
        new["w dzielnicach o niskiej aktywności oraz w osiedlach nowo powstałych;"]
        == old["w dzielnicach o niskiej aktywności,"]
    )
    # deleted: its key is in no later version and is never given to another provision
    deleted_key = old["poprawa jakości życia mieszkańców przez pełniejsze zaspokajanie potrzeb."]
    assert deleted_key not in new.values()


def test_comments_stay_on_their_provision_through_merge_and_deletion(
    client, db, create_consultation, create_organisation, create_comment
):
    consultation = create_consultation("open", draft=LIST_DRAFT)
    organisation = create_organisation()
    on_a = create_comment(consultation, organisation, "§ 1 ust. 2 pkt 2 lit. a", justification="Uwaga do litery a.")
    on_b = create_comment(consultation, organisation, "§ 1 ust. 2 pkt 2 lit. b", justification="Uwaga do litery b.")
    on_gone = create_comment(consultation, organisation, "§ 1 ust. 2 pkt 3", justification="Uwaga do punktu 3.")
    _publish(
        consultation,
        LIST_DRAFT.replace(
            "a) w dzielnicach o niskiej aktywności,\nb) w osiedlach nowo powstałych;",
            "a) w dzielnicach o niskiej aktywności oraz w osiedlach nowo powstałych;",
        ).replace("3) poprawa jakości życia mieszkańców przez pełniejsze zaspokajanie potrzeb.\n", ""),
    )
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "2 uwagi" in page.split(f'id="p-{on_a.paragraph_key}"')[1].split('class="paragraph ')[0]
    merged_item = client.get(f"/consultations/{consultation.slug}/comments?provision={on_a.paragraph_key}")
    merged_item = merged_item.get_data(as_text=True)
    # both comments of the merged provisions are under it, each with the wording it was made on
    assert "Uwaga do litery a." in merged_item and "Uwaga do litery b." in merged_item
    assert "Made on an earlier wording" in merged_item or "wcześniejszego brzmienia" in merged_item
    assert "w osiedlach nowo powstałych;" in merged_item
    # the comment on the deleted point stays on record, with its label and a link to its version
    assert "1 uwaga" in page.split('id="whole-draft-title"')[1]
    whole = client.get(f"/consultations/{consultation.slug}/comments?provision=whole").get_data(as_text=True)
    assert "Uwaga do punktu 3." in whole and "§ 1 ust. 2 pkt 3" in whole
    assert f"/versions/1#p-{on_gone.paragraph_key}" in whole
    # the stored wording did not change
    db.session.expire_all()
    assert db.session.get(Comment, on_b.id).paragraph_text == "w osiedlach nowo powstałych;"


def test_a_link_to_a_deleted_provision_opens_the_last_version_that_had_it(client, db, create_consultation):
    consultation = create_consultation("open", draft=LIST_DRAFT)
    first = current_version(consultation.id)
    gone = _keys_by_text(db, first)["poprawa jakości życia mieszkańców przez pełniejsze zaspokajanie potrzeb."]
    kept = _keys_by_text(db, first)["Program obowiązuje od dnia 1 stycznia do dnia 31 grudnia."]
    _publish(
        consultation,
        LIST_DRAFT.replace("3) poprawa jakości życia mieszkańców przez pełniejsze zaspokajanie potrzeb.\n", ""),
    )
    db.session.commit()
    response = client.get(f"/consultations/{consultation.slug}/provisions/{gone}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/versions/1?gone={gone}#p-{gone}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "§ 1 ust. 2 pkt 3" in page and "last one that had it" in page.replace("ostatniej", "last one that had it")
    kept_response = client.get(f"/consultations/{consultation.slug}/provisions/{kept}")
    assert kept_response.headers["Location"].endswith(f"/consultations/{consultation.slug}#p-{kept}")
    assert client.get(f"/consultations/{consultation.slug}/provisions/nie-ma-takiego").status_code == 404
    # the page tells its script where to ask
    assert "data-provision-finder" in client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)


def test_comparison_page_inline_and_side_by_side(client, db, create_consultation, create_organisation, create_comment):
    consultation = create_consultation("open", draft=LIST_DRAFT)
    organisation = create_organisation()
    comment = create_comment(consultation, organisation, "§ 1 ust. 3", justification="Skrócić.")
    _publish(
        consultation,
        LIST_DRAFT.replace("1) wzmocnienie", "1) rozwój wolontariatu w mieście;\n2) wzmocnienie")
        .replace("2) zwiększenie", "3) zwiększenie")
        .replace("3) poprawa", "4) poprawa")
        .replace("do dnia 31 grudnia", "do dnia 30 grudnia"),
    )
    db.session.commit()
    inline = client.get(f"/consultations/{consultation.slug}/versions/1..2?lang=en")
    assert inline.status_code == 200
    page = inline.get_data(as_text=True)
    assert "1 provision changed" in page and "1 provision added" in page
    # readable without colour: the kind is a word, deletions and insertions are announced
    assert '<span class="change-kind change-kind-added">added</span>' in page
    # (in the page's language, within the Polish text marked lang="pl")
    assert '<span class="visually-hidden" lang="en">deleted: </span><span class="diff-words">31</span>' in page
    assert '<span class="visually-hidden" lang="en">inserted: </span><span class="diff-words">30</span>' in page
    # the jump list leads to each change; renumbered but unchanged points are not changes
    assert 'href="#change-' in page and page.count('<li class="change ') == 2
    assert "The office&#39;s own change" in page or "The office's own change" in page
    side = client.get(f"/consultations/{consultation.slug}/versions/1..2?view=side&lang=en").get_data(as_text=True)
    assert 'class="side-old"' in side and 'class="side-new"' in side
    changed = next(part for part in side.split('<li class="change ')[1:] if "31" in part)
    old_column = changed.split('class="side-old"')[1].split('class="side-new"')[0]
    assert "diff-ins" not in old_column and "diff-del" in old_column
    assert comment.number  # linked receipts are covered in test_traceability


def test_moved_provisions_are_shown_as_moved(client, db, create_consultation):
    draft = "## Rozdział I\n\n§ 1. 1. Pierwszy ustęp o celach programu.\n\n2. Drugi ustęp o zasadach współpracy.\n\n3. Trzeci ustęp o formach współpracy.\n"
    consultation = create_consultation("open", draft=draft)
    _publish(
        consultation,
        "## Rozdział I\n\n§ 1. 1. Trzeci ustęp o formach współpracy.\n\n2. Pierwszy ustęp o celach programu.\n\n3. Drugi ustęp o zasadach współpracy.\n",
    )
    db.session.commit()
    data = client.get(f"/api/v1/consultations/{consultation.slug}/versions/1..2").get_json()
    assert [(c["kind"], c["old"]["label"], c["new"]["label"]) for c in data] == [("moved", "§ 1 ust. 3", "§ 1 ust. 1")]
    page = client.get(f"/consultations/{consultation.slug}/versions/1..2?lang=en").get_data(as_text=True)
    assert "1 provision moved" in page and "the provision stands elsewhere now" in page


@pytest.mark.parametrize(
    ("address", "status", "words"),
    [
        ("versions/2..1", 400, "1..2"),
        ("versions/1..1", 400, "two different versions"),
        ("versions/..2", 404, "1..2"),
        ("versions/1..", 404, "1..2"),
        ("versions/1..2..3", 404, "1..2"),
        ("versions/abc", 404, "1..2"),
        ("versions/1..7", 404, ""),
        ("versions/99999999999999999999", 404, ""),
        ("versions/1..99999999999999999999", 404, ""),
    ],
)
def test_malformed_comparison_addresses_get_a_clear_message(client, db, create_consultation, address, status, words):
    consultation = create_consultation("open", draft=LIST_DRAFT)
    _publish(consultation, LIST_DRAFT.replace("31 grudnia", "30 grudnia"))
    db.session.commit()
    response = client.get(f"/consultations/{consultation.slug}/{address}?lang=en")
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    api = client.get(f"/api/v1/consultations/{consultation.slug}/{address}")
    assert api.status_code == status and api.get_json()["message"]


def test_versions_of_a_draft_consultation_answer_only_to_officials(client, db, create_consultation, create_user, login):
    consultation = create_consultation("draft", draft=LIST_DRAFT)
    _publish(consultation, LIST_DRAFT.replace("31 grudnia", "30 grudnia"))
    db.session.commit()
    addresses = [
        f"/consultations/{consultation.slug}/versions/1",
        f"/consultations/{consultation.slug}/versions/1..2",
        f"/api/v1/consultations/{consultation.slug}/versions",
        f"/api/v1/consultations/{consultation.slug}/versions/2",
        f"/api/v1/consultations/{consultation.slug}/versions/1..2",
    ]
    for address in addresses:
        assert client.get(address).status_code == 404, address
    login(create_user(UserRole.MEMBER))
    for address in addresses:
        assert client.get(address).status_code == 404, address
    client.post("/logout")
    login(create_user(UserRole.OFFICIAL))
    for address in addresses:
        assert client.get(address).status_code == 200, address


def test_versions_json(client, db, create_consultation, create_organisation, create_comment):
    consultation = create_consultation("open", draft=LIST_DRAFT)
    create_comment(consultation, create_organisation(), "§ 1 ust. 3")
    _publish(consultation, LIST_DRAFT.replace("1) wzmocnienie", "1) rozwój wolontariatu;\n2) wzmocnienie"))
    db.session.commit()
    versions = client.get(f"/api/v1/consultations/{consultation.slug}/versions").get_json()
    assert [(v["number"], v["counts"]["provisions"], v["counts"]["comments"]) for v in versions] == [
        (1, 9, 1),
        (2, 10, 0),
    ]
    assert versions[1]["published_at"].endswith(("+01:00", "+02:00"))
    document = client.get(f"/api/v1/consultations/{consultation.slug}/versions/1").get_json()
    provisions = [p for s in document["sections"] for child in [s, *s["sections"]] for p in child["paragraphs"]]
    assert all(p["key"] for p in provisions) and len(provisions) == 9
    assert sum(p["comment_count"] for p in provisions) == 1
    changes = client.get(f"/api/v1/consultations/{consultation.slug}/versions/1..2").get_json()
    assert changes == [
        {
            "kind": "added",
            "old": None,
            "new": {"key": changes[0]["new"]["key"], "label": "§ 1 ust. 2 pkt 1", "text": "rozwój wolontariatu;"},
            "old_parts": [],
            "new_parts": [changes[0]["new"]],
            "words_changed": True,
            "comments": [],
        }
    ]


def test_the_comparison_of_200_provision_versions_runs_a_fixed_number_of_statements(
    client, db, create_consultation, count_queries
):
    def draft(points: int, changed: int) -> str:
        lines = ["## Rozdział I", "", "§ 1. Wykaz zadań:"]
        lines += [f"{n}) zadanie numer {n} dotyczące obszaru {n * 7} w mieście;" for n in range(1, points + 1)]
        text = "\n".join(lines) + "\n"
        for n in range(1, changed + 1):
            text = text.replace(f"obszaru {n * 7} w", f"obszaru {n * 7} w całym", 1)
        return text

    counts = []
    for points in (20, 200):
        consultation = create_consultation("open", draft=draft(points, 0))
        _publish(consultation, draft(points, points // 4))
        db.session.commit()
        with count_queries() as counter:
            response = client.get(f"/consultations/{consultation.slug}/versions/1..2")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('<li class="change ') == points // 4
        counts.append(counter.count)
    assert counts[0] == counts[1], counter.statements
    # consultation, the two versions, all versions, paragraphs, matches, linked comments, the current
    # version (and the session's user)
    assert counts[1] <= 9, counter.statements


def test_preview_shows_the_matching_and_the_official_corrects_it(client, db, create_consultation, create_user, login):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("closed", draft=LIST_DRAFT, officials=[official])
    login(official)
    revised = LIST_DRAFT.replace("31 grudnia", "30 grudnia")
    response = client.post(
        f"/manage/consultations/{consultation.slug}/import",
        data={"file": (io.BytesIO(revised.encode()), "v2.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    preview = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Matching with version 1" in preview and "1 provision changed" in preview
    version = db.session.scalar(sa.select(DraftVersion).where(DraftVersion.number == 2))
    changed = next(p for p in version.paragraphs if p.text.endswith("30 grudnia."))
    old_key = changed.key
    match_url = f"/manage/consultations/{consultation.slug}/versions/2/provisions/{changed.key}/match"
    form = client.get(match_url + "?lang=en").get_data(as_text=True)
    assert "a new provision" in form and "31 grudnia" in form
    assert client.post(match_url, data={"old": "12345678"}).status_code == 422  # not a choice
    assert client.post(match_url, data={"old": "new"}).status_code == 302
    db.session.expire_all()
    assert changed.key != old_key  # now a provision of its own; the old one counts as deleted
    preview = client.get(f"/manage/consultations/{consultation.slug}/versions/2?lang=en").get_data(as_text=True)
    assert "1 provision added" in preview and "1 provision deleted" in preview
    old = next(p for p in version.based_on.paragraphs if p.key == old_key)
    client.post(
        f"/manage/consultations/{consultation.slug}/versions/2/provisions/{changed.key}/match",
        data={"old": str(old.id)},
    )
    db.session.expire_all()
    assert changed.key == old_key
    assert client.post(f"/manage/consultations/{consultation.slug}/versions/2/publish").status_code == 302
    db.session.expire_all()
    assert version.status == VersionStatus.PUBLISHED
    # a published version's matching is final
    response = client.post(
        f"/manage/consultations/{consultation.slug}/versions/2/provisions/{changed.key}/match", data={"old": "new"}
    )
    assert response.status_code == 403


def test_publishing_a_new_text_or_while_comments_are_open_needs_a_confirmation(
    client, db, create_consultation, create_user, login
):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open", draft=LIST_DRAFT, officials=[official])
    login(official)
    client.post(
        f"/manage/consultations/{consultation.slug}/import",
        data={"file": (io.BytesIO("## Rozdział I\n\n§ 1. Zupełnie inny tekst o budżecie.".encode()), "v2.md")},
        content_type="multipart/form-data",
    )
    preview = client.get(f"/manage/consultations/{consultation.slug}/versions/2?lang=en").get_data(as_text=True)
    assert "No provision of this version matches version 1" in preview
    assert "open for comments" in preview
    response = client.post(f"/manage/consultations/{consultation.slug}/versions/2/publish", follow_redirects=True)
    assert "Confirm that it is a new text" in response.get_data(as_text=True) or "nowy tekst" in response.get_data(
        as_text=True
    )
    version = db.session.scalar(sa.select(DraftVersion).where(DraftVersion.number == 2))
    assert version.status == VersionStatus.DRAFT
    client.post(f"/manage/consultations/{consultation.slug}/versions/2/publish", data={"new_text_confirmed": "y"})
    db.session.expire_all()
    assert version.status == VersionStatus.DRAFT  # the open consultation still needs its confirmation
    client.post(
        f"/manage/consultations/{consultation.slug}/versions/2/publish",
        data={"new_text_confirmed": "y", "comments_open_confirmed": "y"},
    )
    db.session.expire_all()
    assert version.status == VersionStatus.PUBLISHED


def test_a_second_unpublished_version_is_refused(client, db, create_consultation, create_user, login):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("closed", draft=LIST_DRAFT, officials=[official])
    login(official)
    for expected in (302, 409):
        response = client.post(
            f"/manage/consultations/{consultation.slug}/import",
            data={"file": (io.BytesIO(LIST_DRAFT.encode()), "v.md")},
            content_type="multipart/form-data",
        )
        assert response.status_code == expected
    assert "Version 2 has not been published yet" in response.get_data(as_text=True) or "Wersja 2" in (
        response.get_data(as_text=True)
    )


def test_comments_on_an_earlier_version_are_read_only(
    client, db, create_consultation, create_organisation, create_user, create_comment, login
):
    from consult.comments.models import CommentKind
    from consult.comments.operations import CommentData, edit_comment, withdraw_comment
    from consult.core.errors import Conflict

    member = create_user(UserRole.MEMBER)
    organisation = create_organisation(members=[member])
    consultation = create_consultation("open", draft=LIST_DRAFT)
    comment = create_comment(consultation, organisation, "§ 1 ust. 3", author=member)
    login(member)
    assert "/edit" in client.get(f"/consultations/{consultation.slug}/comments/{comment.number}").get_data(as_text=True)
    _publish(consultation, LIST_DRAFT.replace("31 grudnia", "30 grudnia"))
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}/comments/{comment.number}").get_data(as_text=True)
    assert f"/comments/{comment.number}/edit" not in page
    with pytest.raises(Conflict):
        edit_comment(comment, member, CommentData(CommentKind.GENERAL, "", "Inna uwaga."))
    with pytest.raises(Conflict):
        withdraw_comment(comment, member)
    # the earlier version lists it, without controls
    earlier = client.get(f"/consultations/{consultation.slug}/versions/1").get_data(as_text=True)
    assert "1 uwaga" in earlier and "comment-form-" not in earlier
    listed = f"/consultations/{consultation.slug}/comments?version=1&provision={comment.paragraph_key}"
    assert f'href="{listed.replace("&", "&amp;")}"' in earlier
    earlier = client.get(listed).get_data(as_text=True)
    assert f'id="c-{comment.number}"' in earlier and "comment-form-" not in earlier and "Poprzyj" not in earlier


def test_an_odt_draft_is_read_with_the_same_grammar():
    from odfdo import Document, Header, List, ListItem
    from odfdo import Paragraph as OdtParagraph

    document = Document("text")
    body = document.body
    body.append(Header(1, "Rozdział I. Cele"))
    body.append(OdtParagraph("§ 1. Program określa:"))
    outer = List()
    goals = ListItem("cele programu:")
    goals.append(List(["wzmocnienie organizacji;", "udział mieszkańców."]))
    outer.append(goals)
    outer.append(ListItem("zasady współpracy."))
    body.append(outer)
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_odt(buffer.getvalue())
    assert parsed.outline() == [
        "§ 1\tProgram określa:",
        "§ 1 ust. 1\tcele programu:",
        "§ 1 ust. 1 pkt 1\twzmocnienie organizacji;",
        "§ 1 ust. 1 pkt 2\tudział mieszkańców.",
        "§ 1 ust. 2\tzasady współpracy.",
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"not a zip", ".odt"), (b"PK\x03\x04broken", ".odt")],
)
def test_a_broken_odt_is_refused_with_a_message(content, words):
    from consult.core.errors import DraftImportError
    from consult.drafts.importers import parse_file

    with pytest.raises(DraftImportError) as error:
        parse_file("projekt.odt", content)
    assert words in error.value.message
