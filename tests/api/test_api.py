from datetime import datetime

from consult.core.time import from_local


def test_list_of_consultations(client, create_consultation):
    open_one = create_consultation(
        "open", opens_at=from_local(datetime(2020, 1, 10, 8, 0)), closes_at=from_local(datetime(2099, 7, 1, 23, 59))
    )
    create_consultation("draft")
    response = client.get("/api/v1/consultations")
    assert response.status_code == 200
    body = response.get_json()
    assert body == [
        {
            "slug": open_one.slug,
            "title": open_one.title,
            "status": "open",
            "opens_at": "2020-01-10T08:00:00+01:00",
            "closes_at": "2099-07-01T23:59:00+02:00",
            "url": f"http://localhost/consultations/{open_one.slug}",
        }
    ]


def test_one_consultation_with_its_document_tree(client, create_consultation):
    consultation = create_consultation("open")
    body = client.get(f"/api/v1/consultations/{consultation.slug}").get_json()
    assert set(body) == {"slug", "title", "status", "opens_at", "closes_at", "version"}
    assert body["version"]["number"] == 1
    sections = body["version"]["sections"]
    assert [s["label"] for s in sections] == ["Preambuła", "Rozdział I", "Rozdział II"]
    chapter_two = sections[2]
    assert chapter_two["heading"] == "Cele programu"
    paragraph_unit = chapter_two["sections"][0]
    assert paragraph_unit["label"] == "§ 2"
    assert paragraph_unit["paragraphs"][-1] == {
        "key": "par-2-ust-2-pkt-2-lit-b",
        "label": "§ 2 ust. 2 pkt 2 lit. b",
        "text": "nowo powstałych.",
        "comment_count": 0,
    }


def test_unknown_and_draft_consultations_answer_404_as_json(client, create_consultation):
    draft = create_consultation("draft")
    for slug in ("nie-ma-takiej", draft.slug):
        response = client.get(f"/api/v1/consultations/{slug}")
        assert response.status_code == 404
        assert response.get_json()["error"] == "not_found"
        assert response.get_json()["message"]
