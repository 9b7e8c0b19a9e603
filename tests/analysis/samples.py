"""Short comments of three clear themes (and two with no theme word), shared by the theme and CLI tests."""

LOCAL = [
    "Czynsz za lokale komunalne dla organizacji jest za wysoki, prosimy o stawkę 1 zł za metr.",
    "Lokale użytkowe dla stowarzyszeń powinny być wynajmowane bez przetargu i po niższym czynszu.",
    "Najem lokali przez organizacje trwa za krótko; czynsz powinien być preferencyjny przez pięć lat.",
    "Prosimy o listę pustych lokali komunalnych, które organizacje mogą wynająć po niskim czynszu.",
]
SENIORS = [
    "Kluby seniora potrzebują stałego finansowania, bo seniorzy tracą miejsce spotkań.",
    "Osoby starsze i samotni seniorzy potrzebują klubów seniora w każdej dzielnicy.",
    "Zajęcia ruchowe dla seniorów w klubach seniora powinny trwać przez cały rok.",
    "Seniorzy z niskimi emeryturami nie mogą płacić za zajęcia w klubach seniora.",
]
ANIMALS = [
    "Schronisko dla zwierząt jest przepełnione, bezdomne koty i psy potrzebują domów tymczasowych.",
    "Sterylizacja bezdomnych kotów i leczenie zwierząt w schronisku kosztują fundacje najwięcej.",
    "Adopcje psów i kotów ze schroniska powinny być wspierane, łącznie ze szczepieniem zwierząt.",
    "Fundacje prozwierzęce prowadzą domy tymczasowe dla kotów i psów bez wsparcia schroniska.",
]
# Two comments on the premises provision that share no word with it, nor with each other.
UNWORDED = [
    "Decyzje urzędu zapadają zbyt wolno i bez uzasadnienia.",
    "Wnioski rozpatrywane są miesiącami, nikt nie odpowiada na pisma.",
]
