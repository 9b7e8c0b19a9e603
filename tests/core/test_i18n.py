import pytest


@pytest.mark.parametrize(
    ("header", "expected"), [("en-GB,en;q=0.9", "en"), ("pl-PL,pl;q=0.9,en;q=0.5", "pl"), ("de-DE", "pl"), ("", "pl")]
)
def test_the_language_follows_the_browser_and_defaults_to_polish(client, header, expected):
    page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}">' in page
    assert ("Sign in" if expected == "en" else "Zaloguj się") in page


def test_the_chosen_language_is_remembered_on_the_next_pages(client):
    client.get("/?lang=en", headers={"Accept-Language": "pl"})
    page = client.get("/login", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Forgot your password?" in page
    back = client.get("/login?lang=pl").get_data(as_text=True)
    assert "Nie pamiętasz hasła?" in back


def test_every_page_links_to_the_other_language_and_the_accessibility_statement(client):
    page = client.get("/").get_data(as_text=True)
    assert 'hreflang="en"' in page and "/accessibility" in page
    statement = client.get("/accessibility")
    assert statement.status_code == 200 and "Deklaracja dostępności" in statement.get_data(as_text=True)


def test_the_language_link_keeps_the_other_parameters_encoded(client):
    page = client.get("/organisations?q=Fundacja%20%C5%BB%26K").get_data(as_text=True)
    assert 'href="/organisations?q=Fundacja+%C5%BB%26K&amp;lang=en"' in page
