"""Reference list of the 16 areas of cooperation of the Kraków programme.

The areas are those listed in Chapter IV (Zakres przedmiotowy) of the
"Program współpracy Gminy Miejskiej Kraków z organizacjami pozarządowymi
oraz podmiotami, o których mowa w art. 3 ust. 3 ustawy o działalności
pożytku publicznego i o wolontariacie, na rok 2012".

Each entry is a tuple ``(number, polish_name, english_name)``.
"""

AREAS: list[tuple[int, str, str]] = [
    (
        1,
        "pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej",
        "social assistance, including assistance to families and persons in difficult life situations",
    ),
    (2, "ochrona i promocja zdrowia", "health protection and promotion"),
    (3, "działalność na rzecz osób niepełnosprawnych", "activities for persons with disabilities"),
    (4, "działalność na rzecz osób w wieku emerytalnym", "activities for persons of retirement age"),
    (
        5,
        "nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie",
        "science, higher education, education and upbringing",
    ),
    (6, "wypoczynek dzieci i młodzieży", "recreation and holidays for children and young people"),
    (
        7,
        "kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego",
        "culture, art, protection of cultural assets and national heritage",
    ),
    (8, "wspieranie i upowszechnianie kultury fizycznej", "supporting and popularising physical culture"),
    (9, "turystyka i krajoznawstwo", "tourism and sightseeing"),
    (
        10,
        "ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego",
        "ecology and animal protection, and protection of natural heritage",
    ),
    (11, "porządek i bezpieczeństwo publiczne", "public order and safety"),
    (12, "przeciwdziałanie uzależnieniom i patologiom społecznym", "counteracting addictions and social pathologies"),
    (
        13,
        "działalność na rzecz rodziny, macierzyństwa, rodzicielstwa, upowszechniania i ochrony praw dziecka",
        "activities for the family, motherhood, parenthood, and the promotion and protection of children's rights",
    ),
    (
        14,
        "promocja zatrudnienia i aktywizacji zawodowej oraz przeciwdziałanie bezrobociu",
        "promotion of employment and vocational activation, and counteracting unemployment",
    ),
    (
        15,
        "działalność na rzecz integracji europejskiej oraz rozwijania kontaktów i współpracy między społeczeństwami",
        "activities for European integration and for developing contacts and cooperation between societies",
    ),
    (
        16,
        "działalność na rzecz organizacji pozarządowych oraz podmiotów wymienionych w art. 3 ust. 3 ustawy",
        "activities for non-governmental organisations and the entities listed in Article 3(3) of the Act",
    ),
]
