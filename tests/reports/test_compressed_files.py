"""Report files that are text (CSV, JSON) go out gzip-compressed to clients that accept it; the
others (PDF, DOCX, ODT, XLSX) are compressed already and go out as stored."""

import gzip

import pytest


@pytest.fixture()
def published(filled_consultation, publish, official):
    publish(filled_consultation, official)
    return filled_consultation


@pytest.mark.parametrize(
    "url",
    ["/consultations/{slug}/report.csv", "/consultations/{slug}/report.json", "/api/v1/consultations/{slug}/report"],
)
def test_text_files_are_compressed_for_clients_that_accept_it(client, published, url):
    url = url.format(slug=published.slug)
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data())
    for response in (plain, packed):
        assert "Accept-Encoding" in response.headers["Vary"]
    # Each variant has its own ETag, and a cache asking again gets a 304 for its own.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and refused.get_data() == plain.get_data()


def test_files_compressed_already_go_out_as_stored(client, published):
    response = client.get(f"/consultations/{published.slug}/report.xlsx", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
