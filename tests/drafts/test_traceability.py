"""Each change traced to its comments; each comment shows what became of it; and the demo
draft through a revision, checked through the open data."""

import re

import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.comments.models import CommentKind
from consult.consultations.queries import consultation_by_slug
from consult.demo import DEMO_SLUG, DRAFT_FILE
from consult.drafts.importers import parse_markdown
from consult.drafts.models import ChangeComment, LinkOrigin
from consult.drafts.operations import import_draft, publish_version
from consult.moderation.models import PositionStatus

DRAFT = (
    "## Rozdział I\n\n§ 1. 1. Dotacja w trybie art. 19a nie przekracza kwoty 10 000 zł.\n\n"
    "2. Ogłoszenia publikowane są na stronie Urzędu.\n\n3. Program obowiązuje przez rok.\n"
)
REVISED = (
    "## Rozdział I\n\n§ 1. 1. Dotacja w trybie art. 19a nie przekracza kwoty 20 000 zł.\n\n"
    "2. Ogłoszenia publikowane są na stronie Urzędu w terminie 3 dni.\n\n3. Program obowiązuje przez dwa lata.\n"
)


def test_links_are_suggested_shown_as_receipts_and_corrected_by_the_official(
    client, db, create_consultation, create_organisation, create_comment, create_position, create_user, login
):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("closed", draft=DRAFT, receipt_prefix="KONS-T", officials=[official])
    organisation = create_organisation()
    accepted = create_comment(consultation, organisation, "§ 1 ust. 1", proposed_text="Inne brzmienie.")
    create_position(accepted, PositionStatus.ACCEPTED)
    close = create_comment(
        consultation,
        organisation,
        "§ 1 ust. 2",
        proposed_text="Ogłoszenia publikowane są na stronie Urzędu w terminie 3 dni.",
    )
    rejected = create_comment(consultation, organisation, "§ 1 ust. 3", proposed_text="Zupełnie coś innego.")
    create_position(rejected, PositionStatus.REJECTED)
    version = import_draft(consultation, parse_markdown(REVISED), None)
    db.session.commit()
    links = {(link.comment_id, link.origin) for link in db.session.scalars(sa.select(ChangeComment))}
    assert links == {(accepted.id, LinkOrigin.SUGGESTED), (close.id, LinkOrigin.SUGGESTED)}

    login(official)
    page = client.get(f"/manage/consultations/{consultation.slug}/versions/2/links").get_data(as_text=True)
    assert "KONS-T/0001" in page and "KONS-T/0002" in page
    fields = dict(re.findall(r'name="(links-[^"]+)"[^>]*value="([^"]*)"', page))
    fields.update({name: "" for name in re.findall(r'name="(links-[^"]+)"', page) if name not in fields})
    third = next(name for name in fields if not fields[name])
    refused = client.post(f"/manage/consultations/{consultation.slug}/versions/2/links", data={**fields, third: "99"})
    assert refused.status_code == 422 and "99" in refused.get_data(as_text=True)
    saved = client.post(
        f"/manage/consultations/{consultation.slug}/versions/2/links", data={**fields, third: "KONS-T/0003"}
    )
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChangeComment)) == 3
    publish_version(version, None)
    db.session.commit()
    client.post("/logout")

    comparison = client.get(f"/consultations/{consultation.slug}/versions/1..2?lang=en").get_data(as_text=True)
    for number in ("KONS-T/0001", "KONS-T/0002", "KONS-T/0003"):
        assert number in comparison
    data = client.get(f"/api/v1/consultations/{consultation.slug}/versions/1..2").get_json()
    assert sorted(receipt for change in data for receipt in change["comments"]) == [
        "KONS-T/0001",
        "KONS-T/0002",
        "KONS-T/0003",
    ]
    comment_page = client.get(f"/consultations/{consultation.slug}/comments/{close.number}?lang=en").get_data(
        as_text=True
    )
    assert "Resulting wording in version 2" in comment_page
    assert "links this comment to a change in version 2" in comment_page
    assert "Wording it was made on" in comment_page


def test_suggested_links_stay_hidden_until_an_official_confirms_them(
    client, db, create_consultation, create_organisation, create_comment, create_position, create_user, login
):
    """A suggestion is the platform's guess: published with the version (as `import-draft --publish`
    does), it is shown to no reader, in no JSON and on no comment page until the team confirms it."""
    team, other = create_user(UserRole.OFFICIAL), create_user(UserRole.OFFICIAL)
    consultation = create_consultation("closed", draft=DRAFT, receipt_prefix="KONS-S", officials=[team])
    accepted = create_comment(consultation, create_organisation(), "§ 1 ust. 1", proposed_text="Inne brzmienie.")
    create_position(accepted, PositionStatus.ACCEPTED)
    publish_version(import_draft(consultation, parse_markdown(REVISED), None), None)
    db.session.commit()
    slug = consultation.slug

    def public() -> tuple[str, list, str]:
        return (
            client.get(f"/consultations/{slug}/versions/1..2?lang=en").get_data(as_text=True),
            client.get(f"/api/v1/consultations/{slug}/versions/1..2").get_json(),
            client.get(f"/consultations/{slug}/comments/{accepted.number}?lang=en").get_data(as_text=True),
        )

    comparison, data, comment_page = public()
    assert "KONS-S/0001" not in comparison
    assert "has not yet confirmed which comments led to these changes" in comparison
    assert "office&#39;s own" not in comparison and "office's own" not in comparison  # not claimed before review
    assert [receipt for change in data for receipt in change["comments"]] == []
    assert "links this comment to a change" not in comment_page

    login(other)  # an official outside the team reads the suggestion but may not confirm it
    page = client.get(f"/consultations/{slug}/versions/1..2?lang=en").get_data(as_text=True)
    assert "not yet confirmed (only officials see this)" in page and "KONS-S/0001" in page
    assert f"/manage/consultations/{slug}/versions/2/links" not in page
    assert client.get(f"/manage/consultations/{slug}/versions/2/links").status_code == 403
    assert client.post(f"/manage/consultations/{slug}/versions/2/links", data={}).status_code == 403

    login(team)
    preview = client.get(f"/manage/consultations/{slug}/versions/2?lang=en").get_data(as_text=True)
    assert "Confirm the comments behind the changes" in preview and "KONS-S/0001" in preview
    form = client.get(f"/manage/consultations/{slug}/versions/2/links").get_data(as_text=True)
    fields = dict(re.findall(r'name="(links-[^"]+)"[^>]*value="([^"]*)"', form))
    fields.update({name: "" for name in re.findall(r'name="(links-[^"]+)"', form) if name not in fields})
    assert client.post(f"/manage/consultations/{slug}/versions/2/links", data=fields).status_code == 302
    assert {link.origin for link in db.session.scalars(sa.select(ChangeComment))} == {LinkOrigin.OFFICIAL}
    client.post("/logout")

    comparison, data, comment_page = public()
    assert "KONS-S/0001" in comparison and "has not yet confirmed" not in comparison
    assert comparison.count("office&#39;s own") + comparison.count("office's own") == 2
    assert [receipt for change in data for receipt in change["comments"]] == ["KONS-S/0001"]
    assert "links this comment to a change in version 2" in comment_page


def test_a_change_without_comments_is_the_office_s_own(client, db, create_consultation):
    consultation = create_consultation("closed", draft=DRAFT)
    publish_version(import_draft(consultation, parse_markdown(REVISED), None), None)
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}/versions/1..2?lang=en").get_data(as_text=True)
    assert page.count("The office&#39;s own change") == 3 or page.count("The office's own change") == 3


def _provisions(document: dict) -> list[dict]:
    found = []

    def walk(sections):
        for section in sections:
            found.extend(section["paragraphs"])
            walk(section["sections"])

    walk(document["sections"] if "sections" in document else document["version"]["sections"])
    return found


def test_the_demo_draft_revised_keeps_every_comment_on_the_provision_it_was_made_on(
    client, db, create_organisation, create_comment
):
    """The demo draft, a comment on every provision, a revision that inserts points at the
    head of lists: through the API, every comment is on the provision whose text it was made on."""
    from consult.demo import seed_demo

    seed_demo()
    db.session.commit()
    consultation = consultation_by_slug(DEMO_SLUG)
    organisation = create_organisation(name="Fundacja Sprawdzająca")
    before = _provisions(client.get(f"/api/v1/consultations/{DEMO_SLUG}").get_json())
    for provision in before:
        create_comment(
            consultation,
            organisation,
            provision["label"],
            kind=CommentKind.GENERAL,
            proposed_text="",
            justification=f"Uwaga do: {provision['text'][:40]}",
            number=1000 + before.index(provision),
        )
    # A new point 1 at the head of every list of points, the points below renumbered.
    renumbered, number = [], 0
    for line in DRAFT_FILE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d+)\) (.*)$", line)
        if match is None:
            if not re.match(r"^[a-z]\) ", line):
                number = 0  # a point list ends at anything but its letters
            renumbered.append(line)
            continue
        if match[1] == "1":
            renumbered.append("1) nowy punkt wstawiony na początku wyliczenia;")
            number = 1
        number += 1
        renumbered.append(f"{number}) {match[2]}")
    assert sum(line.startswith("1) nowy punkt") for line in renumbered) >= 3
    version = import_draft(consultation, parse_markdown("\n".join(renumbered)), None)
    publish_version(version, None, comments_open_confirmed=True)
    db.session.commit()

    after = {p["key"]: p for p in _provisions(client.get(f"/api/v1/consultations/{DEMO_SLUG}").get_json())}
    comments = client.get(f"/api/v1/consultations/{DEMO_SLUG}/comments/all").get_json()
    checked = 0
    for comment in comments:
        if comment["paragraph_key"] is None or not comment["justification"].startswith("Uwaga do: "):
            continue
        provision = after[comment["paragraph_key"]]
        assert provision["text"][:40] == comment["justification"][len("Uwaga do: ") :], comment
        checked += 1
    assert checked == len(before)
    assert any(p["label"] != b["label"] for b in before for p in after.values() if p["key"] == b["key"])


def test_commenting_organisations_are_told_of_a_new_version(
    client, db, create_consultation, create_organisation, create_comment, create_user, login, mail_outbox
):
    member = create_user(UserRole.MEMBER, email="czlonek@example.org")
    organisation = create_organisation(members=[member])
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("closed", draft=DRAFT, receipt_prefix="KONS-M", officials=[official])
    comment = create_comment(consultation, organisation, "§ 1 ust. 1")
    import_draft(consultation, parse_markdown(REVISED), None)
    db.session.commit()
    login(official)
    assert client.post(f"/manage/consultations/{consultation.slug}/versions/2/publish").status_code == 302
    (message,) = [m for m in mail_outbox if m.to == "czlonek@example.org"]
    assert message.subject.startswith("Nowa wersja projektu")
    assert f"/consultations/{consultation.slug}/versions/1..2" in message.body
    assert f"KONS-M/{comment.number:04d}" in message.body
    assert f"/consultations/{consultation.slug}/comments/{comment.number}" in message.body


def test_a_new_report_version_gains_the_resulting_wording(
    client, db, create_consultation, create_organisation, create_comment, create_position, create_user
):
    from consult.reports.exporters.columns import headers, rows
    from consult.reports.operations import publish_report

    consultation = create_consultation("closed", draft=DRAFT)
    comment = create_comment(consultation, create_organisation(), "§ 1 ust. 1", proposed_text="Kwota 20 000 zł.")
    create_position(comment, PositionStatus.ACCEPTED)
    official = create_user(UserRole.OFFICIAL)
    from consult.core.time import utcnow
    from consult.reports.builder import build_report, report_from_json
    from consult.reports.queries import load_report_source

    before = build_report(load_report_source(consultation), number=1, published_at=utcnow())
    publish_version(import_draft(consultation, parse_markdown(REVISED), None), None)
    db.session.commit()
    second = publish_report(consultation, official)
    db.session.commit()
    old, new = before, report_from_json(second.data)
    assert not any("Resulting wording" in h or "Brzmienie" in h for h in headers(old))
    assert headers(new)[-1] in ("Resulting wording (version 2)", "Brzmienie po zmianach (wersja 2)")
    (row,) = list(rows(new))
    assert row[-1] == "Dotacja w trybie art. 19a nie przekracza kwoty 20 000 zł."
    page = client.get(f"/consultations/{consultation.slug}/report?lang=en").get_data(as_text=True)
    assert "Resulting wording (version 2)" in page
