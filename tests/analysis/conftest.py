import pytest

from consult.accounts.models import UserRole

CAMPAIGN = (
    "Wnosimy o jednolitą stawkę czynszu dla organizacji w wysokości 1 zł za metr kwadratowy w lokalach "
    "komunalnych. Organizacje pożytku publicznego nie powinny płacić tyle co firmy. Wysokie czynsze "
    "pochłaniają środki, które mogłyby trafić do mieszkańców."
)
OTHER_CAMPAIGN = (
    "Prosimy o wydłużenie terminu składania ofert w otwartych konkursach do 30 dni i o ogłaszanie konkursów "
    "na zadania całoroczne do końca października roku poprzedniego, żeby placówki nie zostawały bez środków."
)
SINGLE = "Kluby seniora potrzebują stałego finansowania przez cały rok, a nie dotacji na kilka miesięcy."


@pytest.fixture()
def setting(create_user, create_organisation, create_consultation):
    """An open consultation, its official and five organisations."""
    official = create_user(UserRole.OFFICIAL, display_name="Urzędniczka")
    consultation = create_consultation(officials=[official])
    organisations = [create_organisation(f"Fundacja {n}") for n in range(5)]
    return consultation, official, organisations


@pytest.fixture()
def campaign(setting, create_comment):
    """Three copies of one campaign (courtesy, typos), one of another text, one lone comment."""
    consultation, _official, orgs = setting
    copies = [
        create_comment(consultation, orgs[0], proposed_text=CAMPAIGN, justification=""),
        create_comment(
            consultation,
            orgs[1],
            proposed_text="Szanowni Państwo,\n" + CAMPAIGN,
            justification="Z poważaniem\nAnna Nowak",
        ),
        create_comment(
            consultation, orgs[2], None, proposed_text=CAMPAIGN.replace("czynszu", "czysnzu").upper(), justification=""
        ),
    ]
    other = create_comment(consultation, orgs[3], proposed_text=SINGLE, justification="")
    return copies, other
