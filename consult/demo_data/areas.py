"""The 16 areas of cooperation of the Kraków programme, as the city adopted them.

"Zakres współpracy Miasta z organizacjami pozarządowymi obejmuje zadania w zakresie:" and then
the areas below, word for word and in this order. The draft's sentence needs them in the
genitive (``AREAS_IN_DRAFT``); the reference table of areas (organisations' profiles, filters,
invitations) holds the nominative of the same words (``AREAS``).

Each entry of ``AREAS`` is a tuple ``(number, polish_name, english_name)``.
"""

AREAS_SENTENCE = "Zakres współpracy Miasta z organizacjami pozarządowymi obejmuje zadania w zakresie:"

AREAS_IN_DRAFT: tuple[str, ...] = (
    "pomocy społecznej, w tym pomocy rodzinom i osobom w trudnej sytuacji życiowej oraz wyrównywania szans tych "
    "rodzin i osób",
    "działalności na rzecz integracji i reintegracji zawodowej i społecznej osób zagrożonych wykluczeniem społecznym",
    "działalności charytatywnej",
    "ochrony i promocji zdrowia",
    "działalności na rzecz osób niepełnosprawnych",
    "działalności na rzecz osób w wieku emerytalnym",
    "działalności wspomagającej rozwój gospodarczy, w tym rozwój przedsiębiorczości",
    "edukacji, oświaty i wychowania",
    "wypoczynku dzieci i młodzieży",
    "kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego",
    "wspierania i upowszechniania kultury fizycznej",
    "ekologii i ochrony zwierząt oraz ochrony dziedzictwa przyrodniczego",
    "ratownictwa i ochrony ludności",
    "promocji i organizacji wolontariatu",
    "przeciwdziałania uzależnieniom i patologiom społecznym",
    "działalności na rzecz organizacji pozarządowych",
)

AREAS: list[tuple[int, str, str]] = [
    (
        1,
        "pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej oraz wyrównywanie szans tych "
        "rodzin i osób",
        "social assistance, including assistance to families and persons in difficult life situations and "
        "equalising the opportunities of those families and persons",
    ),
    (
        2,
        "działalność na rzecz integracji i reintegracji zawodowej i społecznej osób zagrożonych wykluczeniem "
        "społecznym",
        "activities for the vocational and social integration and reintegration of persons at risk of social exclusion",
    ),
    (3, "działalność charytatywna", "charitable activities"),
    (4, "ochrona i promocja zdrowia", "health protection and promotion"),
    (5, "działalność na rzecz osób niepełnosprawnych", "activities for persons with disabilities"),
    (6, "działalność na rzecz osób w wieku emerytalnym", "activities for persons of retirement age"),
    (
        7,
        "działalność wspomagająca rozwój gospodarczy, w tym rozwój przedsiębiorczości",
        "activities supporting economic development, including the development of entrepreneurship",
    ),
    (8, "edukacja, oświata i wychowanie", "education and upbringing"),
    (9, "wypoczynek dzieci i młodzieży", "holidays and recreation for children and young people"),
    (
        10,
        "kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego",
        "culture, art, protection of cultural assets and national heritage",
    ),
    (11, "wspieranie i upowszechnianie kultury fizycznej", "supporting and popularising physical culture"),
    (
        12,
        "ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego",
        "ecology and animal protection, and protection of natural heritage",
    ),
    (13, "ratownictwo i ochrona ludności", "rescue services and civil protection"),
    (14, "promocja i organizacja wolontariatu", "promotion and organisation of volunteering"),
    (15, "przeciwdziałanie uzależnieniom i patologiom społecznym", "counteracting addictions and social pathologies"),
    (16, "działalność na rzecz organizacji pozarządowych", "activities for non-governmental organisations"),
]
