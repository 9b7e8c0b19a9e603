"""The 16 areas of cooperation as Kraków adopted them

Revision ID: e649dd184a49
Revises: f5ecfb40f3a6
Create Date: 2026-11-30 01:30:00

The reference table of areas held a list that was not the city's (tourism, public order, the
family, employment and European integration in place of charity, economic development, social
and vocational integration, rescue and civil protection, and volunteering). Rows are changed in
place, by meaning, so that the organisations and consultations that chose an area keep it:

* an area of the old list that is one of the new list keeps its id and takes its number and words;
* "the family, motherhood …" goes into "social assistance, including assistance to families …"
  (its organisations and consultations join that area);
* "tourism" and "European integration" have no counterpart: they go, with the choices of them;
* charity, economic development and volunteering are added.

Only a table that holds the old list (or part of it) is changed; a table an administrator has
made different is left as it is, and a line says so. An empty table stays empty (the demo and
the tests load the list).

The downgrade puts the old list back. The three areas it has no place for are kept aside with
the choices of them (``kept_areas``, ``kept_organisation_areas``, ``kept_consultation_areas``)
and come back at the next upgrade; the choices of the family area, merged on the way up, cannot
be told apart any more and are not split again.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e649dd184a49'
down_revision = 'f5ecfb40f3a6'
branch_labels = None
depends_on = None


OLD = {
    1: ("pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej", "social assistance, including assistance to families and persons in difficult life situations"),
    2: ("ochrona i promocja zdrowia", "health protection and promotion"),
    3: ("działalność na rzecz osób niepełnosprawnych", "activities for persons with disabilities"),
    4: ("działalność na rzecz osób w wieku emerytalnym", "activities for persons of retirement age"),
    5: ("nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie", "science, higher education, education and upbringing"),
    6: ("wypoczynek dzieci i młodzieży", "recreation and holidays for children and young people"),
    7: ("kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego", "culture, art, protection of cultural assets and national heritage"),
    8: ("wspieranie i upowszechnianie kultury fizycznej", "supporting and popularising physical culture"),
    9: ("turystyka i krajoznawstwo", "tourism and sightseeing"),
    10: ("ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego", "ecology and animal protection, and protection of natural heritage"),
    11: ("porządek i bezpieczeństwo publiczne", "public order and safety"),
    12: ("przeciwdziałanie uzależnieniom i patologiom społecznym", "counteracting addictions and social pathologies"),
    13: ('działalność na rzecz rodziny, macierzyństwa, rodzicielstwa, upowszechniania i ochrony praw dziecka', "activities for the family, motherhood, parenthood, and the promotion and protection of children's rights"),
    14: ("promocja zatrudnienia i aktywizacji zawodowej oraz przeciwdziałanie bezrobociu", "promotion of employment and vocational activation, and counteracting unemployment"),
    15: ("działalność na rzecz integracji europejskiej oraz rozwijania kontaktów i współpracy między społeczeństwami", "activities for European integration and for developing contacts and cooperation between societies"),
    16: ("działalność na rzecz organizacji pozarządowych oraz podmiotów wymienionych w art. 3 ust. 3 ustawy", "activities for non-governmental organisations and the entities listed in Article 3(3) of the Act"),
}

NEW = {
    1: ("pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej oraz wyrównywanie szans tych rodzin i osób", "social assistance, including assistance to families and persons in difficult life situations and equalising the opportunities of those families and persons"),
    2: ("działalność na rzecz integracji i reintegracji zawodowej i społecznej osób zagrożonych wykluczeniem społecznym", "activities for the vocational and social integration and reintegration of persons at risk of social exclusion"),
    3: ("działalność charytatywna", "charitable activities"),
    4: ("ochrona i promocja zdrowia", "health protection and promotion"),
    5: ("działalność na rzecz osób niepełnosprawnych", "activities for persons with disabilities"),
    6: ("działalność na rzecz osób w wieku emerytalnym", "activities for persons of retirement age"),
    7: ("działalność wspomagająca rozwój gospodarczy, w tym rozwój przedsiębiorczości", "activities supporting economic development, including the development of entrepreneurship"),
    8: ("edukacja, oświata i wychowanie", "education and upbringing"),
    9: ("wypoczynek dzieci i młodzieży", "holidays and recreation for children and young people"),
    10: ("kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego", "culture, art, protection of cultural assets and national heritage"),
    11: ("wspieranie i upowszechnianie kultury fizycznej", "supporting and popularising physical culture"),
    12: ("ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego", "ecology and animal protection, and protection of natural heritage"),
    13: ("ratownictwo i ochrona ludności", "rescue services and civil protection"),
    14: ("promocja i organizacja wolontariatu", "promotion and organisation of volunteering"),
    15: ("przeciwdziałanie uzależnieniom i patologiom społecznym", "counteracting addictions and social pathologies"),
    16: ("działalność na rzecz organizacji pozarządowych", "activities for non-governmental organisations"),
}

# old number -> new number, for the areas that are the same area under the new list's words
SAME = {1: 1, 2: 4, 3: 5, 4: 6, 5: 8, 6: 9, 7: 10, 8: 11, 10: 12, 11: 13, 12: 15, 14: 2, 16: 16}
MERGED = {13: 1}  # old number -> the old number of the area that takes its organisations and consultations
LINKS = (('organisation_areas', 'organisation_id'), ('consultation_areas', 'consultation_id'))
KEPT = 'kept_areas'
KEPT_LINKS = {name: f'kept_{name}' for name, _ in LINKS}

areas = sa.table(
    'areas',
    sa.column('id', sa.Integer),
    sa.column('number', sa.Integer),
    sa.column('name_pl', sa.String),
    sa.column('name_en', sa.String),
)


def _rows(connection):
    return {row.number: row for row in connection.execute(sa.select(areas))}


def _holds(rows, names):
    """Every row is the area of its number on that list (the table as the code of its time wrote it)."""
    return all(number in names and row.name_pl == names[number][0] for number, row in rows.items())


def _tables(connection):
    return set(sa.inspect(connection).get_table_names())


def _move_links(connection, from_id, to_id):
    for name, column in LINKS:
        connection.execute(
            sa.text(
                f"INSERT INTO {name} ({column}, area_id) SELECT {column}, :to FROM {name} WHERE area_id = :from "
                f"AND {column} NOT IN (SELECT {column} FROM {name} WHERE area_id = :to)"
            ),
            {'from': from_id, 'to': to_id},
        )


def _drop_area(connection, area_id):
    for name, _ in LINKS:
        connection.execute(sa.text(f"DELETE FROM {name} WHERE area_id = :id"), {'id': area_id})
    connection.execute(areas.delete().where(areas.c.id == area_id))


def _renumber(connection, numbers, names):
    """``numbers``: row id -> its number on the other list; through numbers no list uses, so that
    the unique index never sees two rows with one number."""
    for area_id, number in numbers.items():
        connection.execute(areas.update().where(areas.c.id == area_id).values(number=1000 + number))
    for area_id, number in numbers.items():
        name_pl, name_en = names[number]
        connection.execute(
            areas.update().where(areas.c.id == area_id).values(number=number, name_pl=name_pl, name_en=name_en)
        )


def _add_missing(connection, names):
    present = set(_rows(connection))
    for number, (name_pl, name_en) in names.items():
        if number not in present:
            connection.execute(areas.insert().values(number=number, name_pl=name_pl, name_en=name_en))


def _drop_kept(connection):
    for name in (KEPT, *KEPT_LINKS.values()):
        if name in _tables(connection):
            op.drop_table(name)


def _bring_back_kept(connection):
    """The areas a downgrade kept aside, with the organisations' and consultations' choices of them."""
    if KEPT not in _tables(connection):
        return
    present = _rows(connection)
    taken = {row.id for row in present.values()}
    ids = {}
    for row in connection.execute(sa.text(f"SELECT id, number, name_pl, name_en FROM {KEPT}")).all():
        if row.number in present:
            continue  # an administrator added an area of that number meanwhile: it stays theirs
        values = {'number': row.number, 'name_pl': row.name_pl, 'name_en': row.name_en}
        if row.id not in taken:
            values['id'] = row.id
        connection.execute(areas.insert().values(**values))
        ids[row.id] = connection.execute(sa.select(areas.c.id).where(areas.c.number == row.number)).scalar_one()
    for name, column in LINKS:
        owner = column.removesuffix('_id') + 's'  # organisations, consultations
        for kept_link in connection.execute(sa.text(f"SELECT {column}, area_id FROM {KEPT_LINKS[name]}")).all():
            owner_id, area_id = kept_link
            exists = connection.execute(
                sa.text(f"SELECT 1 FROM {owner} WHERE id = :id"), {'id': owner_id}
            ).first()
            if area_id in ids and exists:
                connection.execute(
                    sa.text(f"INSERT INTO {name} ({column}, area_id) VALUES (:owner, :area)"),
                    {'owner': owner_id, 'area': ids[area_id]},
                )
    _drop_kept(connection)


def _keep_aside(connection, kept_rows):
    _drop_kept(connection)
    op.create_table(
        KEPT,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('name_pl', sa.String(300), nullable=False),
        sa.Column('name_en', sa.String(300), nullable=False),
    )
    for name, column in LINKS:
        op.create_table(
            KEPT_LINKS[name],
            sa.Column(column, sa.Integer(), nullable=False),
            sa.Column('area_id', sa.Integer(), nullable=False),
        )
    for row in kept_rows:
        connection.execute(
            sa.text(f"INSERT INTO {KEPT} (id, number, name_pl, name_en) VALUES (:id, :number, :name_pl, :name_en)"),
            {'id': row.id, 'number': row.number, 'name_pl': row.name_pl, 'name_en': row.name_en},
        )
        for name, column in LINKS:
            connection.execute(
                sa.text(
                    f"INSERT INTO {KEPT_LINKS[name]} ({column}, area_id) "
                    f"SELECT {column}, area_id FROM {name} WHERE area_id = :id"
                ),
                {'id': row.id},
            )
        _drop_area(connection, row.id)


def upgrade():
    connection = op.get_bind()
    rows = _rows(connection)
    if not rows:
        _drop_kept(connection)
        return
    if not _holds(rows, OLD):
        print("areas: the table is not the earlier list of areas; it is left as it is")
        return
    for old, into in MERGED.items():
        if old in rows:
            if into in rows:
                _move_links(connection, rows[old].id, rows[into].id)
            _drop_area(connection, rows[old].id)
    for old, row in rows.items():
        if old not in SAME and old not in MERGED:
            _drop_area(connection, row.id)
    _renumber(connection, {row.id: SAME[old] for old, row in rows.items() if old in SAME}, NEW)
    _bring_back_kept(connection)
    _add_missing(connection, NEW)


def downgrade():
    connection = op.get_bind()
    rows = _rows(connection)
    if not rows or not _holds(rows, NEW):
        if rows:
            print("areas: the table is not the list of areas of this revision; it is left as it is")
        return
    back = {new: old for old, new in SAME.items()}
    _keep_aside(connection, [row for number, row in rows.items() if number not in back])
    _renumber(connection, {row.id: back[number] for number, row in rows.items() if number in back}, OLD)
    _add_missing(connection, OLD)
