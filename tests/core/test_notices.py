"""The accessibility statement's dates and contact point, and the RODO notice at registration,
come from the configuration, with sensible defaults; a value the start cannot mean stops it."""

from datetime import date

import pytest


def test_the_statement_names_its_dates_and_contact_point_from_the_configuration(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_PREPARED_ON", date(2027, 3, 12))
    monkeypatch.setitem(app.config, "ACCESSIBILITY_REVIEWED_ON", date(2028, 1, 5))
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONTACT_NAME", "Anna Nowak, koordynatorka ds. dostępności")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONTACT_EMAIL", "dostepnosc@example.org")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONTACT_PHONE", "12 616 12 34")
    polish = client.get("/accessibility").get_data(as_text=True)
    assert "Deklarację sporządzono 12 marca 2027, a ostatnio przejrzano i zaktualizowano 5 stycznia 2028." in polish
    assert "Anna Nowak, koordynatorka ds. dostępności" in polish
    assert 'href="mailto:dostepnosc@example.org"' in polish and 'href="tel:126161234"' in polish
    english = client.get("/accessibility?lang=en").get_data(as_text=True)
    assert "prepared on 12 March 2027 and last reviewed on 5 January 2028" in english


def test_without_configuration_the_statement_names_the_administrator_and_the_platform_address(app, client):
    page = client.get("/accessibility").get_data(as_text=True)
    assert "Osoba do kontaktu w sprawach dostępności" in page and "administrator platformy" in page
    assert f"mailto:{app.config['MAIL_DEFAULT_SENDER']}" in page
    assert "Deklarację sporządzono 30 listopada 2026" in page
    assert "tel:" not in page


def test_registration_shows_the_data_protection_notice(client):
    page = client.get("/register").get_data(as_text=True)
    for words in (
        "Twoje dane osobowe",
        "administratorem Twoich danych osobowych jest organ, który prowadzi konsultacje",
        "art. 6 ust. 1 lit. e RODO",
        "do czasu jego usunięcia",
        "skarga do Prezesa Urzędu Ochrony Danych Osobowych",
        "inspektor ochrony danych",
    ):
        assert words in page, words
    english = client.get("/register?lang=en").get_data(as_text=True)
    assert "Your personal data" in english and "Personal Data Protection Office" in english


def test_the_notice_names_the_configured_controller_contact_and_retention(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_CONTROLLER", "Prezydent Miasta Krakowa, pl. Wszystkich Świętych 3-4")
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "iod@example.org")
    monkeypatch.setitem(app.config, "PRIVACY_RETENTION", "Dane przechowujemy przez 5 lat od zakończenia sprawy.")
    page = client.get("/register").get_data(as_text=True)
    assert "jest Prezydent Miasta Krakowa, pl. Wszystkich Świętych 3-4." in page
    assert 'href="mailto:iod@example.org"' in page
    assert "Dane przechowujemy przez 5 lat od zakończenia sprawy." in page and "do czasu jego usunięcia" not in page
    refused = client.post("/register", data={"email": "zly-adres", "password": "x", "display_name": ""})
    assert refused.status_code == 422 and "iod@example.org" in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("ACCESSIBILITY_PREPARED_ON", "0001-01-01", "YYYY-MM-DD"),  # year 1
        ("ACCESSIBILITY_PREPARED_ON", "2026-02-30", "YYYY-MM-DD"),
        ("ACCESSIBILITY_PREPARED_ON", "30.11.2026", "YYYY-MM-DD"),
        ("ACCESSIBILITY_PREPARED_ON", "2026-11-30\x07", "YYYY-MM-DD"),  # (no NUL: the environment cannot hold one)
        ("ACCESSIBILITY_PREPARED_ON", "20261130", "YYYY-MM-DD"),
        ("ACCESSIBILITY_REVIEWED_ON", "2101-01-01", "YYYY-MM-DD"),
        ("ACCESSIBILITY_CONTACT_NAME", "x" * 301, "at most 300"),
        ("PRIVACY_CONTROLLER", "x" * 501, "at most 500"),
    ],
)
def test_a_value_the_configuration_cannot_mean_stops_the_start(monkeypatch, name, value, words):
    import importlib

    import config

    monkeypatch.setenv(name, value)
    try:
        with pytest.raises(RuntimeError, match=words):
            importlib.reload(config)
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_a_review_before_the_preparation_stops_the_start(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("ACCESSIBILITY_PREPARED_ON", "2027-05-01")
    monkeypatch.setenv("ACCESSIBILITY_REVIEWED_ON", "2027-04-30")
    try:
        with pytest.raises(RuntimeError, match="cannot be earlier"):
            importlib.reload(config)
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_control_characters_in_configured_text_are_dropped(monkeypatch):
    import config

    monkeypatch.setenv("PRIVACY_CONTACT", " Inspektor\x07 ochrony\tdanych\n ")
    assert config._text("PRIVACY_CONTACT") == "Inspektor ochrony danych"
