"""The labelled evaluation set of consult/analysis, built from hand-written texts.

    PYTHONPATH=. .venv/bin/python bench/analysis_data.py        # rewrites tests/data/analysis/comments.jsonl

``tests/data/analysis/source.txt`` holds the texts written for the project: distinct
comments on the draft ``tests/data/analysis/draft.md``, grouped by theme, and the
texts of campaigns. This script turns every campaign into its members the way
organisations copy a text (greetings and signatures added, typos, Polish letters
lost, sentences reordered, one sentence changed, one added or dropped), mixes them
with the distinct comments and writes one JSON object per line:

    {"id", "text", "provision", "organisation", "theme", "campaign" (or null), "variant"}

:func:`scaled` makes bigger sets of the same kind (3,000 and 30,000 comments) for
timing: larger campaigns, and distinct comments put together from sentences of the
hand-written ones with details of their own. Everything is seeded: the same call
gives the same comments.
"""

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "analysis"
SOURCE = DATA / "source.txt"
EVALUATION_SET = DATA / "comments.jsonl"

GREETINGS = [
    "Szanowni Państwo,",
    "Szanowni Państwo!",
    "Dzień dobry,",
    "Dzień dobry!",
    "Witam,",
    "Witam serdecznie,",
    "Szanowna Pani Dyrektor,",
    "Szanowny Panie Prezydencie,",
    "Szanowni Państwo Urzędnicy,",
    "Drodzy Państwo,",
]
ON_BEHALF = [
    "W imieniu organizacji „{org}” zgłaszamy następującą uwagę:",
    "W imieniu organizacji „{org}” przesyłam uwagę do projektu Programu.",
    "Jako przedstawiciel organizacji „{org}” zgłaszam poniższą uwagę.",
    "W imieniu zarządu organizacji „{org}” przedstawiamy nasze stanowisko:",
]
CLOSINGS = [
    "Z poważaniem",
    "Z wyrazami szacunku",
    "Pozdrawiam serdecznie",
    "Pozdrawiam",
    "Łączę pozdrowienia",
    "Z góry dziękujemy za uwzględnienie uwagi.",
    "Dziękujemy za możliwość zgłoszenia uwag.",
    "Serdecznie pozdrawiamy",
]
FIRST_NAMES = [
    "Anna",
    "Maria",
    "Katarzyna",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Joanna",
    "Magdalena",
    "Zofia",
    "Jan",
    "Piotr",
    "Tomasz",
    "Paweł",
    "Michał",
    "Krzysztof",
    "Andrzej",
    "Łukasz",
    "Wojciech",
    "Marek",
    "Jakub",
]
LAST_NAMES = [
    "Nowak",
    "Kowalska",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamińska",
    "Lewandowski",
    "Zielińska",
    "Szymański",
    "Woźniak",
    "Dąbrowska",
    "Kozłowski",
    "Jankowska",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowska",
    "Grabowski",
    "Nowakowska",
    "Pawłowski",
    "Michalska",
    "Król",
    "Wieczorek",
    "Jabłońska",
]
FUNCTIONS = [
    "Prezes Zarządu",
    "Prezeska Fundacji",
    "Wiceprezes Stowarzyszenia",
    "Członek Zarządu",
    "Koordynatorka",
    "Sekretarz Zarządu",
    "Dyrektor",
    "Skarbnik",
]
ORG_KINDS = [
    "Stowarzyszenie",
    "Fundacja",
    "Towarzystwo",
    "Klub Sportowy",
    "Stowarzyszenie Przyjaciół",
    "Fundacja Rozwoju",
    "Koło",
    "Uczniowski Klub Sportowy",
    "Spółdzielnia Socjalna",
    "Związek",
]
ORG_NAMES = [
    "Razem",
    "Nadzieja",
    "Otwarte Drzwi",
    "Zielony Kraków",
    "Sąsiedzi",
    "Pomocna Dłoń",
    "Kultura Bez Barier",
    "Wisła",
    "Podgórze Dzieciom",
    "Dobry Start",
    "Srebrny Wiek",
    "Łapa w Łapę",
    "Przystań",
    "Most",
    "Ogród Wspólny",
    "Krakowskie Forum",
    "Nowa Huta Działa",
    "Bronowice Razem",
    "Rodzina",
    "Horyzont",
    "Iskra",
    "Wspólna Sprawa",
    "Kocia Przystań",
    "Senior Aktywny",
    "Wolontariat Plus",
    "Dom Sąsiedzki",
]
DISTRICTS = [
    "Stare Miasto",
    "Grzegórzki",
    "Prądnik Czerwony",
    "Prądnik Biały",
    "Krowodrza",
    "Bronowice",
    "Zwierzyniec",
    "Dębniki",
    "Łagiewniki-Borek Fałęcki",
    "Swoszowice",
    "Podgórze Duchackie",
    "Bieżanów-Prokocim",
    "Podgórze",
    "Czyżyny",
    "Mistrzejowice",
    "Bieńczyce",
    "Wzgórza Krzesławickie",
    "Nowa Huta",
]
OWN_SENTENCES = [
    "Nasza organizacja działa w dzielnicy {district} od {years} lat.",
    "Pracujemy z {people} osobami w każdym roku.",
    "Sprawa dotyczy bezpośrednio {people} uczestników naszych zajęć w dzielnicy {district}.",
    "Od {years} lat prowadzimy zajęcia w dzielnicy {district} bez przerwy.",
    "Uwagę popiera walne zebranie członków naszego stowarzyszenia.",
    "Podobne rozwiązanie sprawdziło się w innych miastach.",
    "Liczymy na przychylne rozpatrzenie tej uwagi.",
]
# Details for the synthetic distinct comments of the scaled sets (many slots, few repeats).
DETAILS = [
    "W {year} roku nasza organizacja prowadziła {activity} dla {people} osób w dzielnicy {district}.",
    "Od {month} {year} roku pracujemy z grupą {group} w {place} w dzielnicy {district}.",
    "Na {activity} wydaliśmy w ubiegłym roku {amount} zł, z czego tylko część pochodziła z dotacji.",
    "Nasze zajęcia w {place} odwiedza co miesiąc około {people} osób, głównie {group}.",
    "Działamy od {years} lat, a {activity} jest naszym najważniejszym zadaniem w dzielnicy {district}.",
    "W {month} planujemy {activity} w {place} i chcielibyśmy zaprosić do współpracy urzędników.",
    "Koszt prowadzenia {place} wzrósł od {year} roku o {amount} zł rocznie.",
    "Wśród {people} uczestników naszych działań są przede wszystkim {group} z dzielnicy {district}.",
    "Przez {years} lat zebraliśmy doświadczenie, które pokazuje, że {activity} wymaga stałego wsparcia.",
    "Współpracujemy z {place} w dzielnicy {district} od {month} {year} roku.",
    "Nasza sekcja liczy {people} członków i prowadzi {activity} bez żadnych etatów.",
    "W dzielnicy {district} brakuje miejsc takich jak {place}, a {group} nie mają dokąd pójść.",
    "W {year} roku nie otrzymaliśmy dotacji na {activity} i musieliśmy ograniczyć zajęcia do {people} osób.",
    "Pytaliśmy {group} w {place}, czego potrzebują, i odpowiedź była jednoznaczna.",
    "Budżet naszej organizacji to około {amount} zł rocznie, a {activity} pochłania większość tej kwoty.",
    "Zapraszamy przedstawicieli Miasta na {activity} w {month}, aby zobaczyli naszą pracę z bliska.",
]
MONTHS = [
    "styczniu",
    "lutym",
    "marcu",
    "kwietniu",
    "maju",
    "czerwcu",
    "lipcu",
    "sierpniu",
    "wrześniu",
    "październiku",
    "listopadzie",
    "grudniu",
]
GROUPS = [
    "seniorów",
    "dzieci z rodzin zastępczych",
    "młodzieży szkolnej",
    "osób w kryzysie bezdomności",
    "osób z niepełnosprawnością intelektualną",
    "rodziców małych dzieci",
    "wolontariuszy",
    "mieszkańców osiedla",
    "cudzoziemców",
    "osób chorujących psychicznie",
    "kobiet po sześćdziesiątce",
    "opiekunów osób zależnych",
    "studentów",
    "sportowców amatorów",
]
ACTIVITIES = [
    "warsztaty plastyczne",
    "zajęcia sportowe",
    "poradnictwo prawne",
    "dyżury psychologa",
    "festyn sąsiedzki",
    "kurs języka polskiego",
    "zbiórkę żywności",
    "spacery przyrodnicze",
    "turniej szachowy",
    "klub dyskusyjny",
    "naukę pływania",
    "sprzątanie brzegów Wisły",
    "kolonie letnie",
    "zajęcia komputerowe",
    "koncerty podwórkowe",
    "grupę wsparcia",
]
PLACES = [
    "świetlicy osiedlowej",
    "bibliotece dzielnicowej",
    "szkole podstawowej",
    "domu kultury",
    "parafialnej sali",
    "klubie seniora",
    "hali sportowej",
    "ogrodzie społecznym",
    "centrum aktywności",
    "naszym lokalu przy rynku",
    "przychodni",
    "schronisku",
]
POLISH_TO_ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Theme:
    key: str
    name: str
    description: str
    comments: list[tuple[str, str]] = field(default_factory=list)  # (provision, text)


@dataclass
class Campaign:
    key: str
    theme: str
    size: int
    provisions: list[str]
    text: str = ""
    alternatives: list[str] = field(default_factory=list)


def read_source(path: Path = SOURCE) -> tuple[dict[str, Theme], list[Campaign]]:
    themes: dict[str, Theme] = {}
    campaigns: list[Campaign] = []
    current: Theme | Campaign | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# theme "):
            key, name, description = (part.strip() for part in line[len("# theme ") :].split("|", 2))
            current = themes[key] = Theme(key, name, description)
        elif line.startswith("# campaign "):
            head, provisions = line[len("# campaign ") :].split("|", 1)
            key, theme, size = head.split()
            current = Campaign(key, theme, int(size), [p.strip() for p in provisions.split(";")])
            campaigns.append(current)
        elif line.startswith("- ") and isinstance(current, Theme):
            provision, text = (part.strip() for part in line[2:].split("|", 1))
            current.comments.append((provision, text))
        elif line.startswith("= ") and isinstance(current, Campaign):
            current.text = line[2:].strip()
        elif line.startswith("~ ") and isinstance(current, Campaign):
            current.alternatives.append(line[2:].strip())
    return themes, campaigns


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


class Writer:
    """Organisations and their habits of copying a text, from one seeded random generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used_orgs: set[str] = set()

    def organisation(self) -> str:
        name = f"{self.rng.choice(ORG_KINDS)} {self.rng.choice(ORG_NAMES)}"
        if self.rng.random() < 0.5 or name in self.used_orgs:
            name += f" {self.rng.choice(DISTRICTS)}"
        if name in self.used_orgs:
            name += f" Koło nr {len(self.used_orgs)}"
        self.used_orgs.add(name)
        return name

    def detail(self) -> str:
        """A sentence about the organisation's own situation, with many details of its own."""
        rng = self.rng
        return rng.choice(DETAILS).format(
            district=rng.choice(DISTRICTS),
            years=rng.randint(2, 30),
            people=rng.randint(12, 900),
            year=rng.randint(2009, 2026),
            month=rng.choice(MONTHS),
            group=rng.choice(GROUPS),
            activity=rng.choice(ACTIVITIES),
            place=rng.choice(PLACES),
            amount=f"{rng.randint(2, 95) * 1000:,}".replace(",", " "),
        )

    def own_sentence(self) -> str:
        return self.rng.choice(OWN_SENTENCES).format(
            district=self.rng.choice(DISTRICTS), years=self.rng.randint(2, 30), people=self.rng.randint(12, 900)
        )

    def signature(self, org: str) -> str:
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        lines = [self.rng.choice(CLOSINGS), name]
        if self.rng.random() < 0.7:
            lines.append(self.rng.choice(FUNCTIONS))
        lines.append(org)
        if self.rng.random() < 0.3:
            lines.append(f"tel. 12 {self.rng.randint(100, 999)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}")
        return "\n".join(lines)

    def typos(self, text: str, count: int) -> str:
        chars = list(text)
        for _ in range(count):
            letters = [i for i, c in enumerate(chars) if c.isalpha()]
            if len(letters) < 3:
                break
            i = self.rng.choice(letters[1:-1])
            how = self.rng.choice(["swap", "drop", "double", "ascii", "near"])
            if how == "swap" and chars[i + 1].isalpha():
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            elif how == "drop":
                del chars[i]
            elif how == "double":
                chars.insert(i, chars[i])
            elif how == "ascii":
                chars[i] = chars[i].translate(POLISH_TO_ASCII)
            else:
                chars[i] = self.rng.choice("aeioyrstnkmlpwz")
        return "".join(chars)

    def courtesy(self, body: str, org: str, greeting: float, behalf: float, signature: float) -> tuple[str, list[str]]:
        marks = []
        if self.rng.random() < behalf:
            body = self.rng.choice(ON_BEHALF).format(org=org) + " " + body
            marks.append("on-behalf")
        if self.rng.random() < greeting:
            body = self.rng.choice(GREETINGS) + self.rng.choice(["\n\n", "\n", " "]) + body
            marks.append("greeting")
        if self.rng.random() < signature:
            body = body + self.rng.choice(["\n\n", "\n"]) + self.signature(org)
            marks.append("signature")
        return body, marks

    def copy(self, campaign: Campaign, org: str, first: bool) -> tuple[str, str]:
        """One member's text of a campaign and what was done to it."""
        if first:
            return campaign.text, "original"
        rng = self.rng
        sentences = split_sentences(campaign.text)
        marks: list[str] = []
        if len(sentences) > 2 and rng.random() < 0.3:
            i = rng.randrange(len(sentences))
            pool = campaign.alternatives or [self.own_sentence()]
            sentences[i] = rng.choice(pool)
            marks.append("sentence-changed")
        if len(sentences) > 2 and rng.random() < 0.25:
            before = list(sentences)
            while sentences == before:
                rng.shuffle(sentences)
            marks.append("reordered")
        if rng.random() < 0.15:
            sentences.insert(rng.randint(0, len(sentences)), self.own_sentence())
            marks.append("sentence-added")
        elif len(sentences) > 3 and rng.random() < 0.1:
            del sentences[rng.randrange(len(sentences))]
            marks.append("sentence-dropped")
        body = " ".join(sentences)
        if rng.random() < 0.4:
            body = self.typos(body, rng.randint(1, 4))
            marks.append("typos")
        if rng.random() < 0.15:
            body = body.translate(POLISH_TO_ASCII)
            marks.append("no-diacritics")
        if rng.random() < 0.2:
            body = body.replace(". ", rng.choice([".  ", ".\n", " . ", "; "]))
            body = body.upper() if rng.random() < 0.1 else body
            marks.append("spacing")
        body, courtesy = self.courtesy(body, org, greeting=0.45, behalf=0.25, signature=0.45)
        marks += courtesy
        return body, "+".join(marks) or "copy"


def evaluation_set(seed: int = 16) -> list[dict]:
    """The labelled set: every distinct comment once, every campaign at its size, shuffled."""
    themes, campaigns = read_source()
    writer = Writer(seed)
    rows: list[dict] = []
    for theme in themes.values():
        for provision, text in theme.comments:
            org = writer.organisation()
            body, marks = writer.courtesy(text, org, greeting=0.3, behalf=0.1, signature=0.3)
            rows.append(_row(body, provision, org, theme.key, None, "+".join(marks) or "distinct"))
    for campaign in campaigns:
        rows += _campaign_rows(writer, campaign, campaign.size)
    writer.rng.shuffle(rows)
    for number, row in enumerate(rows, start=1):
        row["id"] = f"u{number:04d}"
    return rows


def _row(text: str, provision: str, org: str, theme: str, campaign: str | None, variant: str) -> dict:
    return {
        "id": "",
        "text": text,
        "provision": provision,
        "organisation": org,
        "theme": theme,
        "campaign": campaign,
        "variant": variant,
    }


def _campaign_rows(writer: Writer, campaign: Campaign, size: int, key: str | None = None) -> list[dict]:
    rows = []
    for member in range(size):
        org = writer.organisation()
        text, variant = writer.copy(campaign, org, first=member == 0)
        rows.append(
            _row(text, writer.rng.choice(campaign.provisions), org, campaign.theme, key or campaign.key, variant)
        )
    return rows


def scaled(size: int, seed: int = 30) -> list[dict]:
    """A set of ``size`` comments: the evaluation set, bigger campaigns, and synthetic distinct comments.

    Half of the comments beyond the evaluation set belong to campaigns (each campaign grows
    in proportion to its size); the rest are distinct comments of one theme, each made of one
    sentence of a hand-written comment of that theme and two sentences about the organisation
    with details of its own. Two such comments may share that sentence or the frame of a
    detail sentence; they are labelled distinct, so the precision measured on these sets is
    a little pessimistic.
    """
    themes, campaigns = read_source()
    rows = evaluation_set()
    writer = Writer(seed)
    writer.used_orgs = {row["organisation"] for row in rows}
    extra = max(0, size - len(rows))
    campaign_total = sum(c.size for c in campaigns)
    for campaign in campaigns:
        rows += _campaign_rows(writer, campaign, extra // 2 * campaign.size // campaign_total, campaign.key)
    pools = {key: [split_sentences(text) for _, text in theme.comments] for key, theme in themes.items()}
    keys = sorted(pools)
    while len(rows) < size:
        key = writer.rng.choice(keys)
        parts = [writer.rng.choice(writer.rng.choice(pools[key])), writer.detail(), writer.detail()]
        writer.rng.shuffle(parts)
        org = writer.organisation()
        body, marks = writer.courtesy(" ".join(parts), org, greeting=0.3, behalf=0.1, signature=0.3)
        provision = writer.rng.choice(themes[key].comments)[0]
        rows.append(_row(body, provision, org, key, None, "+".join(marks) or "synthetic"))
    rows = rows[:size]
    writer.rng.shuffle(rows)
    for number, row in enumerate(rows, start=1):
        row["id"] = f"s{number:05d}"
    return rows


def theme_names() -> dict[str, str]:
    themes, _ = read_source()
    return {key: theme.name for key, theme in themes.items()}


def write_jsonl(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as source:
        return [json.loads(line) for line in source if line.strip()]


if __name__ == "__main__":
    rows = evaluation_set()
    write_jsonl(rows, EVALUATION_SET)
    campaigns = {row["campaign"] for row in rows if row["campaign"]}
    print(
        f"{EVALUATION_SET}: {len(rows)} comments, {len(campaigns)} campaigns, "
        f"{len({row['theme'] for row in rows})} themes"
    )
