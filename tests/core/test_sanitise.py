"""User Markdown as plain runs for the documents that are not HTML (the report PDF)."""

from consult.core.sanitise import markdown_runs


def test_markdown_runs_keep_the_words_and_only_the_links_that_stay_links():
    runs = markdown_runs("Zob. **ważne**: [BIP](https://www.bip.krakow.pl/) i [zły](javascript:alert(1))\nkoniec")
    assert "".join(text for text, _ in runs) == "Zob. ważne: BIP i [zły](javascript:alert(1))\nkoniec"
    assert [(text, link) for text, link in runs if link] == [("BIP", "https://www.bip.krakow.pl/")]
