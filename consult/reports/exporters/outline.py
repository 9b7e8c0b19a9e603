"""The report as a sequence of plain blocks, for the word-processor formats.

DOCX and ODT draw the same outline with their own library, so the two documents
have the same headings, facts and tables in the same order as the web page; only the
comments table comes as one table per section (see TABLE_ROWS).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import format_datetime, ngettext, pgettext
from flask_babel import gettext as _

from consult.core.text import one_line, xml_text
from consult.reports.builder import Report
from consult.reports.exporters.columns import resulting_header, resulting_version
from consult.reports.labels import (
    channel_label,
    duration_note,
    entered_from,
    form_with_count,
    group_label,
    hide_reason_label,
    invited_addresses_note,
    kind_label,
    meeting_fact,
    moderation_mode_label,
    part_label,
    participation_label,
    position_label,
    record_facts,
    signature_lines,
)


@dataclass(frozen=True)
class Heading:
    level: int  # 0: the title
    text: str


@dataclass(frozen=True)
class Text:
    text: str  # may hold line breaks
    note: bool = False  # smaller, secondary
    end: bool = False  # aligned to the right margin (the signature block)
    markdown: bool = False  # the official's Markdown (the PDF shows its links; DOCX and ODT the source)


@dataclass(frozen=True)
class Facts:
    items: list[tuple[str, str]]


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class TableRow:
    cells: list[str]
    group: bool = False  # a section heading across the whole row


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[str]
    rows: list[TableRow]
    widths: list[int] = field(default_factory=list)  # relative
    wide: bool = False  # the comments table: on landscape pages


def _when(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), "d MMMM y, HH:mm")


def markdown_paragraphs(source: str) -> list[str]:
    """The official's Markdown as plain paragraphs (blank lines separate them)."""
    return [block.strip() for block in source.replace("\r\n", "\n").split("\n\n") if block.strip()]


# Rows per table at most. Word processors lay a table out in time that grows with the
# square of its length: LibreOffice 7.4 took 88 s to open one table of 2,000 comments and
# 12 s for the same rows in one table per section; one table of 10,000 comments was not
# open after 30 minutes, tables of at most 200 rows took about 3.
TABLE_ROWS = 200


def _same_comment_note(size: int) -> str:
    return ngettext(
        "%(num)d organisation submitted substantially the same comment:",
        "%(num)d organisations submitted substantially the same comment:",
        size,
    )


def comment_tables(report: Report) -> list[Table]:
    """The comments table as one table per section (cut every TABLE_ROWS rows), each with
    the section as its caption and the header row, which repeats on every page."""
    header = [
        _("No."),
        _("Organisation (and supporters)"),
        _("Part of the document"),
        _("Current wording"),
        _("Proposed wording"),
        _("Justification"),
        _("Position"),
        pgettext("the organiser's answer", "Reason"),
    ]
    resulting = resulting_version(report)
    widths = [6, 12, 10, 16, 15, 14, 11, 16]
    if resulting is not None:
        header.append(resulting_header(resulting))
        widths = [5, 11, 9, 14, 13, 12, 9, 13, 14]
    tables = []
    for group in report.sections:
        rows: list[TableRow] = []
        for row in group.rows:
            if row.group_size:
                rows.append(TableRow([_same_comment_note(row.group_size)], group=True))
            organisation = row.organisation
            if row.supporters:
                organisation += "\n" + _("supported by:") + " " + ", ".join(row.supporters)
            if row.received_on:
                organisation += "\n" + entered_from(row)
            proposed = f"[{kind_label(row.kind)}]" + (f"\n{row.proposed_text}" if row.proposed_text else "")
            rows.append(
                TableRow(
                    [
                        str(row.lp),
                        organisation,
                        part_label(row.part),
                        row.current_text,
                        proposed,
                        row.justification,
                        position_label(row.position),
                        row.reason,
                    ]
                    + ([row.resulting_text or ""] if resulting is not None else [])
                )
            )
        notes = []
        if group.withdrawn:
            notes.append(
                ngettext(
                    "%(num)d comment withdrawn by its author",
                    "%(num)d comments withdrawn by their authors",
                    group.withdrawn,
                )
            )
        if group.hidden:
            notes.append(
                ngettext(
                    "%(num)d comment hidden by the moderator", "%(num)d comments hidden by the moderator", group.hidden
                )
            )
        if notes:
            rows.append(TableRow(["; ".join(notes) + " — " + _("counted, not listed") + "."], group=True))
        for start in range(0, len(rows), TABLE_ROWS):
            tables.append(
                Table(
                    caption=group_label(group.label, group.heading),
                    header=header,
                    rows=rows[start : start + TABLE_ROWS],
                    widths=widths,
                    wide=True,
                )
            )
    return tables


def outline(report: Report, sha256: str | None) -> Iterator[object]:
    """The report's blocks with text a word processor's XML can hold (see :func:`printable`)."""
    return (printable(block) for block in _blocks(report, sha256))


def printable(block):
    """``block`` with every text cleaned once for DOCX and ODT: a control character stored
    before the forms cleaned input (the vertical tab Word pastes, a stray \\x01) would make
    the XML libraries refuse the whole file. Headings stay on one line."""
    if isinstance(block, Heading):
        return replace(block, text=one_line(block.text))
    if isinstance(block, Text):
        return replace(block, text=xml_text(block.text))
    if isinstance(block, Facts):
        return replace(block, items=[(xml_text(label), xml_text(value)) for label, value in block.items])
    if isinstance(block, Bullets):
        return replace(block, items=[xml_text(item) for item in block.items])
    if isinstance(block, Table):
        return replace(
            block,
            caption=one_line(block.caption),
            header=[xml_text(text) for text in block.header],
            rows=[replace(row, cells=[xml_text(cell) for cell in row.cells]) for row in block.rows],
        )
    return block


def _blocks(report: Report, sha256: str | None) -> Iterator[object]:
    """The report's parts in order: title and facts, the course, statistics, the comments,
    moderation, themes and conclusion."""
    course, filing = report.course, report.filing
    yield from _title(report, sha256)
    yield from _course(report)
    yield from _statistics(report)
    yield Heading(1, "3. " + _("Comments and the organiser's positions"))
    if not report.sections:
        yield Text(_("No comments were submitted."))
    else:
        yield Text(_("Comments in the order of the draft, with the position of the organiser"), note=True)
        yield from comment_tables(report)

    yield from _moderation(report)
    if report.themes:
        yield Heading(1, "5. " + _("Main themes of the comments"))
        for theme in report.themes:
            yield Heading(2, theme.name)
            if theme.description:
                yield Text(theme.description)
            yield Facts(
                [
                    (_("Comments"), str(theme.count)),
                    (_("Organisations"), ", ".join(theme.organisations) or "—"),
                    (_("The office's answer"), theme.answer or _("not given")),
                ]
            )

    if course.conclusion:
        yield Heading(1, ("6. " if report.themes else "5. ") + _("Conclusion"))
        for paragraph in markdown_paragraphs(course.conclusion):
            yield Text(paragraph, markdown=True)
    if filing:
        yield from _approval(report)


def _organisations(filing) -> Iterator[object]:
    yield Heading(2, _("Organisations invited"))
    if filing.invited:
        yield Bullets(list(filing.invited))
    else:
        yield Text(_("No registered organisation was invited."))
    if filing.invited_addresses:
        yield Text(invited_addresses_note(filing))
    yield Heading(2, _("Organisations that took part"))
    if filing.took_part:
        yield Bullets(list(filing.took_part))
    else:
        yield Text(_("No organisation took part."))


def _approval(report: Report) -> Iterator[object]:
    filing = report.filing
    yield Heading(1, _("Approval"))
    if filing.closing_line:
        yield Text(filing.closing_line)
    signature = signature_lines(filing)
    if signature:
        yield Text(
            "\n\n".join([signature[0], "\n".join(signature[1:])]) if len(signature) > 1 else signature[0], end=True
        )
    else:
        yield Text(_("Not approved yet: the signature block is empty."))
    yield Heading(2, _("Information record (BIP)"))
    yield Facts(record_facts(report))


def _title(report: Report, sha256: str | None) -> Iterator[object]:
    yield Text(_("Consultation report"), note=True)
    yield Heading(0, report.title)
    filing = report.filing
    yield Facts(
        [(_("Report version"), str(report.number)), (_("Published"), _when(report.published_at))]
        + (
            [
                (_("Case number"), filing.case_number or _("not given")),
                (_("Organiser's unit"), filing.organiser_unit or _("not given")),
            ]
            if filing
            else []
        )
        + ([(_("SHA-256 checksum of the report data"), sha256)] if sha256 else [])
    )


def _course(report: Report) -> Iterator[object]:
    course, filing, stats = report.course, report.filing, report.statistics
    yield Heading(1, "1. " + _("The course of the consultation"))
    for paragraph in markdown_paragraphs(course.introduction):
        yield Text(paragraph, markdown=True)
    facts = [
        (_("Organiser"), course.organiser or _("not given")),
        (_("Legal basis"), course.legal_basis or _("not given")),
        (_("Comments accepted from"), _when(course.opens_at)),
        (_("Comments accepted until"), _when(course.closes_at)),
    ]
    if course.draft_version:
        facts.append(
            (_("Draft consulted"), f"{course.draft_title} ({_('version %(number)d', number=course.draft_version)})")
        )
    facts += [
        (_("Who could take part"), participation_label(course.participation)),
        (_("Moderation"), moderation_mode_label(course.moderation_mode)),
        (_("Organisations taking part"), str(course.organisation_count)),
        (
            _("Comments received"),
            f"{course.comment_count} (" + _("%(num)d listed in the table", num=course.listed_comment_count) + ")",
        ),
        (_("Supports received"), str(course.support_count)),
    ]
    yield Facts(facts)
    if duration_note(filing):
        yield Text(duration_note(filing))
    yield Heading(2, _("Forms of consultation used"))
    yield Bullets([form_with_count(f, report) for f in course.forms])
    if filing:
        yield from _organisations(filing)
    if course.meetings:
        yield Heading(2, _("Consultation meetings"))
        yield Bullets([meeting_fact(m) for m in course.meetings])
    if stats.by_channel:
        yield Heading(2, _("Comments received per channel"))
        yield Facts([(channel_label(item.key), str(item.count)) for item in stats.by_channel])


def _statistics(report: Report) -> Iterator[object]:
    course, stats = report.course, report.statistics
    yield Heading(1, "2. " + _("Statistics"))
    if not course.listed_comment_count:
        yield Text(_("No comments were listed, so there are no statistics to show."))
    else:
        yield Heading(2, _("Comments per section"))
        yield Table(
            _("Comments per section and the positions given"),
            [
                _("Section"),
                _("Comments"),
                _("accepted"),
                _("partly accepted"),
                _("rejected"),
                _("noted (outside the scope)"),
                _("no position"),
                _("Accepted in whole or in part"),
            ],
            [
                TableRow(
                    [
                        group_label(s.label, s.heading),
                        str(s.comments),
                        str(s.accepted),
                        str(s.partly_accepted),
                        str(s.rejected),
                        str(s.noted),
                        str(s.without_position),
                        f"{s.accepted_share}%",
                    ]
                )
                for s in stats.by_section
            ],
            widths=[30, 10, 10, 10, 10, 10, 10, 10],
        )
        yield Heading(2, _("Comments per kind"))
        yield Table(
            _("Comments per kind"),
            [_("Kind of comment"), _("Comments")],
            [TableRow([kind_label(i.key), str(i.count)]) for i in stats.by_kind],
            widths=[70, 30],
        )
        yield Heading(2, _("Comments per position"))
        yield Table(
            _("Comments per position"),
            [_("Position"), _("Comments")],
            [TableRow([position_label(i.key), str(i.count)]) for i in stats.by_position],
            widths=[70, 30],
        )
        yield Heading(2, _("Organisations taking part"))
        yield Table(
            _("Organisations taking part"),
            [_("Organisation"), _("Comments"), _("Supports given")],
            [TableRow([o.name, str(o.comments), str(o.supports)]) for o in stats.organisations],
            widths=[60, 20, 20],
        )


def _moderation(report: Report) -> Iterator[object]:
    moderation = report.moderation
    yield Heading(1, "4. " + _("Moderation"))
    moderation_facts = [
        (_("Moderation"), moderation_mode_label(moderation.mode)),
        (_("Comments hidden by the moderator"), str(moderation.hidden)),
        *[
            (_("of which: %(reason)s", reason=hide_reason_label(i.key)), str(i.count))
            for i in moderation.hidden_by_reason
        ],
        (_("Comments withdrawn by their authors"), str(moderation.withdrawn)),
    ]
    if moderation.mode == "pre" or moderation.approved:
        moderation_facts.append((_("Comments approved in pre-moderation"), str(moderation.approved)))
    moderation_facts += [
        (_("Comments restored after review"), str(moderation.restored)),
        (_("Requests for review of a hidden comment"), str(moderation.review_requests)),
    ]
    if moderation.pending:
        moderation_facts.append((_("Comments never moderated (not listed)"), str(moderation.pending)))
    yield Facts(moderation_facts)
    yield Text(
        _("The text of hidden and withdrawn comments is not published; they are counted above and in the table.")
    )
