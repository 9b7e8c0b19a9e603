"""The report builder: plain data in, frozen dataclasses out. No database, no request.

:mod:`consult.reports.queries` loads a :class:`ReportSource` with a fixed number of
queries; :func:`build_report` turns it into a :class:`Report`. A published report is
stored as :func:`canonical_json` of that Report (with its SHA-256), and every exporter
renders the Report rebuilt from that JSON by :func:`report_from_json`, so a published
version looks the same for ever, whatever happens to the rows it came from.

Natural persons never appear: comments and supports carry only organisation names,
and the official who answered is "the organiser".
"""

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from consult.core.time import to_local

SCHEMA = "consult.report/1"

KINDS = ("change", "delete", "add", "general")
POSITIONS = ("accepted", "partly_accepted", "rejected", "noted")
HIDE_REASONS = ("offensive", "personal_data", "off_topic", "spam", "duplicate")
# How comments reached the organiser (consult.comments.models.Channel).
CHANNELS = ("online", "paper", "email", "epuap", "meeting")


# ---------------------------------------------------------------- the source (plain data)


@dataclass(frozen=True)
class SourceSection:
    id: int
    version_id: int
    parent_id: int | None
    position: int
    label: str
    heading: str | None


@dataclass(frozen=True)
class SourceParagraph:
    id: int
    version_id: int
    section_id: int
    position: int
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class SourceComment:
    number: int
    status: str  # pending | published | hidden | withdrawn
    kind: str
    organisation: str
    organisation_id: int
    paragraph_id: int | None
    paragraph_key: str | None
    proposed_text: str
    justification: str
    submitted_at: datetime
    supporters: tuple[tuple[int, str], ...] = ()  # (organisation id, name), supports not withdrawn
    position_status: str | None = None  # only a published position
    position_reason: str = ""
    has_draft_position: bool = False
    hidden_reason: str | None = None
    group: int | None = None  # a confirmed group of near-duplicates (consult.analysis)
    themes: tuple[str, ...] = ()  # names of the accepted themes it belongs to
    channel: str = "online"  # one of CHANNELS
    received_on: date | None = None  # the day the letter (e-mail, meeting) reached the office
    meeting_id: int | None = None  # the consultation meeting it was made at


@dataclass(frozen=True)
class SourceMeeting:
    id: int
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online: bool  # held (also) online
    registered: int  # organisations registered (not cancelled)
    minutes: bool  # minutes written or uploaded
    cancelled: bool


@dataclass(frozen=True)
class SourceModerationEvent:
    action: str  # approve | hide | restore | review_requested
    reason: str | None


@dataclass(frozen=True)
class SourceTheme:
    name: str
    description: str
    summary_answer: str


@dataclass(frozen=True)
class SourceVersion:
    id: int
    number: int
    title: str


@dataclass(frozen=True)
class ReportSource:
    slug: str
    title: str
    organiser: str
    legal_basis: str
    opens_at: datetime
    closes_at: datetime
    participation: str
    moderation_mode: str
    versions: tuple[SourceVersion, ...]  # published ones, oldest first
    sections: tuple[SourceSection, ...]
    paragraphs: tuple[SourceParagraph, ...]
    comments: tuple[SourceComment, ...]
    moderation_events: tuple[SourceModerationEvent, ...]
    introduction: str = ""
    conclusion: str = ""
    themes: tuple[SourceTheme, ...] = ()  # accepted themes
    # Paragraph id (in any version) -> key of that provision in the newest version, following
    # renumbering, moves and merges; a provision the newest version deleted is not in it.
    placement: tuple[tuple[int, str], ...] = ()
    meetings: tuple[SourceMeeting, ...] = ()
    filing: "SourceFiling | None" = None


@dataclass(frozen=True)
class SourceFiling:
    """What the office files the report with: entered by the official in the report builder,
    the organisations the consultation was addressed to, and a shortened term's reason."""

    case_number: str = ""
    organiser_unit: str = ""
    signatory_name: str = ""
    signatory_post: str = ""
    approved_on: date | None = None
    closing_line: str = ""
    produced_by: str = ""
    responsible: str = ""
    invited: tuple[str, ...] = ()  # verified organisations of the consultation's areas, by name
    invited_addresses: int = 0  # addresses of organisations not registered, invited by e-mail
    duration_days: int = 0
    short_duration_reason: str = ""  # an administrator published it shorter than the minimum
    short_duration_minimum: int | None = None


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class MeetingFact:
    """A consultation meeting in the course of the consultation."""

    starts_at: str  # ISO 8601 with the Kraków offset
    ends_at: str  # "" when not given
    place: str
    online: bool
    registered: int
    comments: int  # comments entered from what was said at it
    minutes: bool  # published on the consultation's page
    cancelled: bool


@dataclass(frozen=True)
class CourseFacts:
    organiser: str
    legal_basis: str
    opens_at: str  # ISO 8601 with the Kraków offset
    closes_at: str
    participation: str
    moderation_mode: str
    forms: tuple[str, ...]  # "platform_comments", "supports"
    draft_version: int | None
    draft_title: str
    organisation_count: int
    comment_count: int  # every comment received, whatever became of it
    listed_comment_count: int  # the rows of the table
    support_count: int
    introduction: str
    conclusion: str
    meetings: tuple[MeetingFact, ...] = ()  # absent from reports published before meetings


@dataclass(frozen=True)
class Filing:
    """The report as the office files it (absent from reports published before it existed).

    The signature block is the only place a person's name appears, by the office's choice.
    """

    case_number: str  # znak sprawy
    organiser_unit: str  # the organiser's unit (komórka organizacyjna)
    invited: tuple[str, ...]  # organisations the consultation was addressed to
    invited_addresses: int  # and addresses of organisations not registered, invited by e-mail
    took_part: tuple[str, ...]  # organisations that commented or supported, in any form
    forms: tuple["CountItem", ...]  # comments per form: "online", "letters", "meetings"
    meetings_held: int
    signatory_name: str
    signatory_post: str
    approved_on: str  # ISO date, "" when not given
    closing_line: str  # on forwarding the report to the council or the mayor
    produced_by: str  # the BIP metryczka: who produced the information
    responsible: str  # who is responsible for its content
    produced_on: str  # ISO date the information was produced (the approval), "" when not given
    duration_days: int  # days the consultation lasted, counted as the civil code counts a term
    short_duration_reason: str  # "" unless an administrator published it shorter than the minimum
    short_duration_minimum: int | None


@dataclass(frozen=True)
class SectionStat:
    label: str
    heading: str
    comments: int
    accepted: int
    partly_accepted: int
    rejected: int
    noted: int
    without_position: int

    @property
    def accepted_share(self) -> int:
        """Per cent of the section's comments accepted in whole or in part."""
        if not self.comments:
            return 0
        return round(100 * (self.accepted + self.partly_accepted) / self.comments)


@dataclass(frozen=True)
class CountItem:
    key: str | None  # kind, position status or hide reason; None: "without a position"
    count: int


@dataclass(frozen=True)
class OrganisationStat:
    name: str
    comments: int
    supports: int


@dataclass(frozen=True)
class Statistics:
    by_section: tuple[SectionStat, ...]
    by_kind: tuple[CountItem, ...]
    by_position: tuple[CountItem, ...]
    organisations: tuple[OrganisationStat, ...]
    by_channel: tuple[CountItem, ...] = ()  # every comment received, per channel (absent before)


@dataclass(frozen=True)
class ReportRow:
    lp: int
    number: int  # the comment's number in the consultation (its receipt)
    organisation: str
    supporters: tuple[str, ...]
    part: str  # "§ 3 ust. 2 pkt 4", or "" for the draft as a whole
    paragraph_key: str | None
    kind: str
    current_text: str
    proposed_text: str
    justification: str
    position: str | None
    reason: str
    # Near-duplicates: their rows follow one another; the first carries the group's size.
    group: int | None = None  # numbered within the report, 1, 2, …
    group_size: int = 0  # organisations that submitted substantially the same comment (first row only)
    themes: tuple[str, ...] = ()
    # The provision's wording in the newest version, for a comment made on an earlier one
    # ("" if that version deleted it); None when the comment was made on the newest.
    resulting_text: str | None = None
    resulting_version: int | None = None

    channel: str = "online"  # entered by the office from a letter, e-mail, ePUAP or a meeting otherwise
    received_on: str = ""  # ISO date the office received it; "" for a comment sent online


@dataclass(frozen=True)
class ThemeChapter:
    """One theme of the chapter "Main themes of the comments"."""

    name: str
    description: str
    count: int  # listed comments of this theme
    organisations: tuple[str, ...]
    answer: str  # the office's summary answer


@dataclass(frozen=True)
class SectionGroup:
    label: str  # "" for remarks on the draft as a whole
    heading: str
    withdrawn: int
    hidden: int
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True)
class ModerationSummary:
    mode: str
    hidden: int
    hidden_by_reason: tuple[CountItem, ...]
    withdrawn: int
    pending: int
    approved: int
    restored: int
    review_requests: int


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    number: int
    published_at: str  # ISO 8601 with the Kraków offset
    course: CourseFacts
    statistics: Statistics
    sections: tuple[SectionGroup, ...]
    moderation: ModerationSummary
    schema: str = SCHEMA
    themes: tuple[ThemeChapter, ...] = ()
    filing: Filing | None = None

    def rows(self):
        for group in self.sections:
            yield from group.rows

    @property
    def row_count(self) -> int:
        return sum(len(group.rows) for group in self.sections)


@dataclass(frozen=True)
class Warnings:
    """What an official should fix before publishing (publishing is still allowed)."""

    without_position: tuple[int, ...] = field(default=())  # comment numbers
    without_reason: tuple[int, ...] = field(default=())
    draft_positions: tuple[int, ...] = field(default=())
    pending: tuple[int, ...] = field(default=())
    missing_filing: tuple[str, ...] = field(default=())  # "case_number", "signature", "approved_on"

    def __bool__(self) -> bool:
        return bool(
            self.without_position or self.without_reason or self.draft_positions or self.pending or self.missing_filing
        )


# ---------------------------------------------------------------- building


def _iso(moment: datetime) -> str:
    return to_local(moment).isoformat()


def _top_section(section_id: int, sections: dict[int, SourceSection]) -> SourceSection:
    section = sections[section_id]
    while section.parent_id is not None:
        section = sections[section.parent_id]
    return section


def _section_stats(section_groups: tuple[SectionGroup, ...]) -> list[SectionStat]:
    """How many comments each part of the draft got, and the positions on them."""
    by_section = []
    for group in section_groups:
        if not group.rows:
            continue
        positions = Counter(row.position for row in group.rows)
        by_section.append(
            SectionStat(
                label=group.label,
                heading=group.heading,
                comments=len(group.rows),
                accepted=positions["accepted"],
                partly_accepted=positions["partly_accepted"],
                rejected=positions["rejected"],
                noted=positions["noted"],
                without_position=positions[None],
            )
        )
    return by_section


def _organisation_stats(source: ReportSource) -> tuple[list[OrganisationStat], dict[int, str], int]:
    """Each organisation with its published comments and supports (most first), the names of all
    that took part (by id), and the number of supports."""
    organisation_names: dict[int, str] = {}
    comment_counts: Counter = Counter()
    support_counts: Counter = Counter()
    support_total = 0
    for comment in source.comments:
        organisation_names[comment.organisation_id] = comment.organisation
        if comment.status == "published":
            comment_counts[comment.organisation_id] += 1
        for organisation_id, name in comment.supporters:
            organisation_names[organisation_id] = name
            support_total += 1
            if comment.status == "published":
                support_counts[organisation_id] += 1
    organisation_stats = sorted(
        (
            OrganisationStat(name=organisation_names[i], comments=comment_counts[i], supports=support_counts[i])
            for i in organisation_names
        ),
        key=lambda o: (-o.comments, -o.supports, o.name.casefold()),
    )
    return organisation_stats, organisation_names, support_total


def _forms_of_consultation(source: ReportSource, support_total: int) -> list[str]:
    """The ways organisations took part (the report's course lists them)."""
    forms = ["platform_comments"] + (["supports"] if support_total else [])
    if any(c.channel in ("paper", "email", "epuap") for c in source.comments):
        forms.append("letters")
    held = [m for m in source.meetings if not m.cancelled]
    if held:
        forms.append("meetings")
    return forms


def _position_counts(listed: list[ReportRow]) -> list[CountItem]:
    """How many listed comments got each position (and, if any, none yet)."""
    positions = Counter(row.position for row in listed)
    by_position = [CountItem(status, positions[status]) for status in POSITIONS]
    if positions[None]:
        by_position.append(CountItem(None, positions[None]))
    return by_position


def _meeting_facts(source: ReportSource) -> tuple[MeetingFact, ...]:
    comments_at = Counter(c.meeting_id for c in source.comments if c.meeting_id is not None)
    return tuple(
        MeetingFact(
            starts_at=_iso(m.starts_at),
            ends_at=_iso(m.ends_at) if m.ends_at else "",
            place=m.place,
            online=m.online,
            registered=m.registered,
            comments=comments_at[m.id],
            minutes=m.minutes,
            cancelled=m.cancelled,
        )
        for m in source.meetings
    )


def build_report(source: ReportSource, *, number: int, published_at: datetime) -> Report:
    sections = {s.id: s for s in source.sections}
    paragraphs = {p.id: p for p in source.paragraphs}
    base_version = source.versions[-1].id if source.versions else None
    base_by_key = {p.key: p for p in source.paragraphs if p.version_id == base_version}
    version_rank = {v.id: i for i, v in enumerate(source.versions)}
    placement = dict(source.placement)

    def in_base(own: SourceParagraph) -> SourceParagraph | None:
        key = placement.get(own.id) if placement else own.key
        return base_by_key.get(key) if key is not None else None

    # A comment sits where its provision sits in the newest version; a provision that
    # version dropped keeps the place it had in the version commented on, after the rest.
    def place(comment: SourceComment) -> tuple[tuple, SourceSection | None]:
        own = paragraphs.get(comment.paragraph_id) if comment.paragraph_id else None
        if own is None:
            return (0, 0, 0, 0), None
        base = in_base(own)
        if base is not None:
            top = _top_section(base.section_id, sections)
            return (1, 0, top.position, base.position), top
        top = _top_section(own.section_id, sections)
        return (2, version_rank.get(own.version_id, 0), top.position, own.position), top

    placed = _with_groups_together(
        sorted(((place(c), c) for c in source.comments), key=lambda item: (item[0][0], item[1].number))
    )
    group_numbers: dict[int, int] = {}
    group_sizes = Counter(c.group for c in source.comments if c.group is not None and c.status == "published")
    groups: list[dict] = []
    group_index: dict[object, dict] = {}
    lp = 0
    for (_order, top), comment in placed:
        group_key = top.id if top is not None else None
        group = group_index.get(group_key)
        if group is None:
            group = {
                "label": top.label if top else "",
                "heading": (top.heading or "") if top else "",
                "withdrawn": 0,
                "hidden": 0,
                "rows": [],
            }
            group_index[group_key] = group
            groups.append(group)
        if comment.status == "withdrawn":
            group["withdrawn"] += 1
            continue
        if comment.status == "hidden":
            group["hidden"] += 1
            continue
        if comment.status != "published":
            continue  # awaiting pre-moderation: counted in the moderation summary
        lp += 1
        own = paragraphs.get(comment.paragraph_id) if comment.paragraph_id else None
        grouped = comment.group is not None and group_sizes[comment.group] > 1
        first_of_group = grouped and comment.group not in group_numbers
        if first_of_group:
            group_numbers[comment.group] = len(group_numbers) + 1
        resulting = None
        if own is not None and base_version is not None and own.version_id != base_version:
            now = in_base(own)
            resulting = now.text if now is not None else ""
        group["rows"].append(
            ReportRow(
                lp=lp,
                number=comment.number,
                organisation=comment.organisation,
                supporters=tuple(name for _id, name in comment.supporters),
                part=own.label if own else "",
                paragraph_key=own.key if own else comment.paragraph_key,
                kind=comment.kind,
                current_text=own.text if own else "",
                proposed_text=comment.proposed_text or "",
                justification=comment.justification or "",
                position=comment.position_status,
                reason=comment.position_reason if comment.position_status else "",
                group=group_numbers[comment.group] if grouped else None,
                group_size=group_sizes[comment.group] if first_of_group else 0,
                themes=comment.themes,
                resulting_text=resulting,
                resulting_version=source.versions[-1].number if resulting is not None else None,
                channel=comment.channel,
                received_on=comment.received_on.isoformat() if comment.received_on else "",
            )
        )
    section_groups = tuple(
        SectionGroup(
            label=g["label"], heading=g["heading"], withdrawn=g["withdrawn"], hidden=g["hidden"], rows=tuple(g["rows"])
        )
        for g in groups
        if g["rows"] or g["withdrawn"] or g["hidden"]
    )
    listed = [row for group in section_groups for row in group.rows]

    by_section = _section_stats(section_groups)
    kinds = Counter(row.kind for row in listed)
    by_position = _position_counts(listed)

    organisation_stats, organisation_names, support_total = _organisation_stats(source)
    statuses = Counter(c.status for c in source.comments)
    channels = Counter(c.channel for c in source.comments)
    hidden_reasons = Counter(c.hidden_reason for c in source.comments if c.status == "hidden")
    actions = Counter(e.action for e in source.moderation_events)
    latest = source.versions[-1] if source.versions else None
    forms = _forms_of_consultation(source, support_total)
    meetings = _meeting_facts(source)

    return Report(
        slug=source.slug,
        title=source.title,
        number=number,
        published_at=_iso(published_at),
        course=CourseFacts(
            organiser=source.organiser,
            legal_basis=source.legal_basis,
            opens_at=_iso(source.opens_at),
            closes_at=_iso(source.closes_at),
            participation=source.participation,
            moderation_mode=source.moderation_mode,
            forms=tuple(forms),
            draft_version=latest.number if latest else None,
            draft_title=latest.title if latest else "",
            organisation_count=len(organisation_names),
            comment_count=len(source.comments),
            listed_comment_count=len(listed),
            support_count=support_total,
            introduction=source.introduction,
            conclusion=source.conclusion,
            meetings=meetings,
        ),
        statistics=Statistics(
            by_section=tuple(by_section),
            by_kind=tuple(CountItem(kind, kinds[kind]) for kind in KINDS),
            by_position=tuple(by_position),
            organisations=tuple(organisation_stats),
            by_channel=tuple(CountItem(channel, channels[channel]) for channel in CHANNELS),
        ),
        sections=section_groups,
        themes=_theme_chapters(source, listed),
        filing=_filing(source, organisation_names, channels, sum(1 for m in source.meetings if not m.cancelled)),
        moderation=ModerationSummary(
            mode=source.moderation_mode,
            hidden=statuses["hidden"],
            hidden_by_reason=tuple(CountItem(r, hidden_reasons[r]) for r in HIDE_REASONS if hidden_reasons[r]),
            withdrawn=statuses["withdrawn"],
            pending=statuses["pending"],
            approved=actions["approve"],
            restored=actions["restore"],
            review_requests=actions["review_requested"],
        ),
    )


# Comments per form of consultation: the channels grouped as the office names the forms.
FORMS_OF_CHANNELS = (("online", ("online",)), ("letters", ("paper", "email", "epuap")), ("meetings", ("meeting",)))


def _filing(source: ReportSource, organisation_names: dict[int, str], channels: Counter, held: int) -> Filing:
    filing = source.filing or SourceFiling()
    approved = filing.approved_on.isoformat() if filing.approved_on else ""
    return Filing(
        case_number=filing.case_number,
        organiser_unit=filing.organiser_unit or source.organiser,
        invited=tuple(sorted(set(filing.invited), key=str.casefold)),
        invited_addresses=filing.invited_addresses,
        took_part=tuple(sorted(set(organisation_names.values()), key=str.casefold)),
        forms=tuple(CountItem(form, sum(channels[c] for c in members)) for form, members in FORMS_OF_CHANNELS),
        meetings_held=held,
        signatory_name=filing.signatory_name,
        signatory_post=filing.signatory_post,
        approved_on=approved,
        closing_line=filing.closing_line,
        produced_by=filing.produced_by or filing.organiser_unit or source.organiser,
        responsible=filing.responsible or filing.signatory_post,
        produced_on=approved,
        duration_days=filing.duration_days,
        short_duration_reason=filing.short_duration_reason,
        short_duration_minimum=filing.short_duration_minimum if filing.short_duration_reason else None,
    )


def _with_groups_together(placed: list) -> list:
    """Members of a confirmed group right after its first member, in its section (one row group)."""
    members: dict[int, list] = {}
    for item in placed:
        if item[1].group is not None and item[1].status == "published":
            members.setdefault(item[1].group, []).append(item)
    result, done = [], set()
    for item in placed:
        group = item[1].group if item[1].status == "published" else None
        if group is None:
            result.append(item)
        elif group not in done:
            done.add(group)
            place = item[0]
            result.extend((place, member) for _place, member in members[group])
    return result


def _theme_chapters(source: ReportSource, listed: list[ReportRow]) -> tuple[ThemeChapter, ...]:
    chapters = []
    for theme in source.themes:
        rows = [row for row in listed if theme.name in row.themes]
        chapters.append(
            ThemeChapter(
                name=theme.name,
                description=theme.description,
                count=len(rows),
                organisations=tuple(sorted({row.organisation for row in rows}, key=str.casefold)),
                answer=theme.summary_answer,
            )
        )
    return tuple(sorted(chapters, key=lambda chapter: (-chapter.count, chapter.name.casefold())))


def publication_warnings(source: ReportSource) -> Warnings:
    published = [c for c in source.comments if c.status == "published"]
    return Warnings(
        without_position=tuple(sorted(c.number for c in published if c.position_status is None)),
        without_reason=tuple(
            sorted(c.number for c in published if c.position_status is not None and not c.position_reason.strip())
        ),
        draft_positions=tuple(
            sorted(c.number for c in published if c.position_status is None and c.has_draft_position)
        ),
        pending=tuple(sorted(c.number for c in source.comments if c.status == "pending")),
        missing_filing=_missing_filing(source.filing or SourceFiling()),
    )


def _missing_filing(filing: SourceFiling) -> tuple[str, ...]:
    missing = []
    if not filing.case_number:
        missing.append("case_number")
    if not (filing.signatory_name and filing.signatory_post):
        missing.append("signature")
    if filing.approved_on is None:
        missing.append("approved_on")
    return tuple(missing)


# ---------------------------------------------------------------- the snapshot


def report_to_dict(report: Report) -> dict:
    return asdict(report)


def canonical_json(report: Report) -> str:
    """Sorted keys, no insignificant white space, UTF-8 letters as they are."""
    return json.dumps(report_to_dict(report), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def checksum(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _counts(items) -> tuple[CountItem, ...]:
    return tuple(CountItem(**item) for item in items)


def report_from_dict(data: dict) -> Report:
    statistics = data["statistics"]
    course = dict(data["course"])
    course["forms"] = tuple(course["forms"])
    course["meetings"] = tuple(MeetingFact(**m) for m in course.get("meetings", ()))
    return Report(
        schema=data["schema"],
        slug=data["slug"],
        title=data["title"],
        number=data["number"],
        published_at=data["published_at"],
        course=CourseFacts(**course),
        statistics=Statistics(
            by_section=tuple(SectionStat(**s) for s in statistics["by_section"]),
            by_kind=_counts(statistics["by_kind"]),
            by_position=_counts(statistics["by_position"]),
            organisations=tuple(OrganisationStat(**o) for o in statistics["organisations"]),
            by_channel=_counts(statistics.get("by_channel", ())),
        ),
        sections=tuple(
            SectionGroup(
                label=g["label"],
                heading=g["heading"],
                withdrawn=g["withdrawn"],
                hidden=g["hidden"],
                rows=tuple(
                    ReportRow(**{**row, "supporters": tuple(row["supporters"]), "themes": tuple(row.get("themes", ()))})
                    for row in g["rows"]
                ),
            )
            for g in data["sections"]
        ),
        moderation=ModerationSummary(
            **{**data["moderation"], "hidden_by_reason": _counts(data["moderation"]["hidden_by_reason"])}
        ),
        themes=tuple(ThemeChapter(**{**t, "organisations": tuple(t["organisations"])}) for t in data.get("themes", ())),
        filing=_filing_from_dict(data.get("filing")),
    )


def _filing_from_dict(data: dict | None) -> Filing | None:
    if data is None:
        return None
    return Filing(
        **{
            **data,
            "invited": tuple(data["invited"]),
            "took_part": tuple(data["took_part"]),
            "forms": _counts(data["forms"]),
        }
    )


def report_from_json(data: str) -> Report:
    return report_from_dict(json.loads(data))


def content_json(report: Report) -> str:
    """The report without its number and date: two versions with equal content say the same."""
    data = report_to_dict(report)
    del data["number"], data["published_at"]
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
