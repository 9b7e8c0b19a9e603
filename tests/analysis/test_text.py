import pytest

from consult.analysis.text import fold, normalise, strip_courtesy

BODY = "Prosimy o wydłużenie terminu składania ofert do 30 dni."


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "PROSIMY O WYDŁUŻENIE TERMINU SKŁADANIA OFERT DO 30 DNI.",
        "Prosimy o wydluzenie terminu skladania ofert do 30 dni",
        "  Prosimy o   wydłużenie\nterminu składania ofert — do 30 dni!!!  ",
        "Szanowni Państwo,\n\nProsimy o wydłużenie terminu składania ofert do 30 dni.",
        "Dzień dobry! Prosimy o wydłużenie terminu składania ofert do 30 dni.",
        "Witam serdecznie,\nW imieniu Fundacji Razem zgłaszamy następującą uwagę: "
        "Prosimy o wydłużenie terminu składania ofert do 30 dni.",
        "Prosimy o wydłużenie terminu składania ofert do 30 dni.\n\nZ poważaniem\nAnna Nowak\nPrezes Zarządu",
        "Prosimy o wydłużenie terminu składania ofert do 30 dni. Pozdrawiam serdecznie, Jan Kowalski",
        "Prosimy o wydłużenie terminu składania ofert do 30 dni.\n-- \nStowarzyszenie Most, tel. 12 345 67 89",
        "Szanowny Panie Prezydencie,\r\nProsimy o wydłużenie terminu składania ofert do 30 dni.\r\n"
        "Z wyrazami szacunku\r\nZarząd",
    ],
)
def test_normalise_keeps_only_what_the_comment_says(text):
    assert normalise(text) == "prosimy o wydluzenie terminu skladania ofert do 30 dni"


def test_fold_removes_case_and_polish_letters():
    assert fold("Zażółć GĘŚLĄ jaźń, Łódź") == "zazolc gesla jazn, lodz"


def test_a_closing_word_inside_a_long_comment_is_not_a_signature():
    text = "Z góry dziękujemy urzędnikom za pracę, ale " + "termin jest za krótki i trzeba go zmienić. " * 10
    assert strip_courtesy(text).startswith("Z góry dziękujemy urzędnikom")


@pytest.mark.parametrize("text", ["", "   ", "\x00", "Szanowni Państwo,", "!!!"])
def test_normalise_of_nothing_is_empty(text):
    assert normalise(text) == ""


def test_normalise_keeps_letters_of_other_scripts():
    assert normalise("Прошу продовжити строк.") == "прошу продовжити строк"
