"""What the report template needs beside the Report itself: charts and dates.

Used by the web page, the builder's preview and the PDF exporter alike, so the
three show the same thing.
"""

from datetime import datetime

from flask_babel import gettext as _

from consult.reports.builder import Report
from consult.reports.charts import BarChart, bar_chart
from consult.reports.exporters.columns import resulting_version
from consult.reports.labels import (
    form_with_count,
    group_label,
    kind_label,
    position_label,
    record_facts,
    signature_lines,
)

CHART_ORGANISATIONS = 20  # the table beside the chart lists every organisation


def report_charts(report: Report) -> dict[str, BarChart]:
    stats = report.statistics
    sections = [(group_label(s.label, s.heading), s.comments) for s in stats.by_section]
    organisations = [(o.name, o.comments + o.supports) for o in stats.organisations[:CHART_ORGANISATIONS]]
    return {
        "by_section": bar_chart(_("Comments per section"), sections),
        "by_kind": bar_chart(_("Comments per kind"), [(kind_label(i.key), i.count) for i in stats.by_kind]),
        "by_position": bar_chart(
            _("Comments per position"), [(position_label(i.key), i.count) for i in stats.by_position]
        ),
        "organisations": bar_chart(_("Comments and supports per organisation"), organisations),
        "accepted_share": bar_chart(
            _("Share of comments accepted in whole or in part, per section"),
            [(group_label(s.label, s.heading), s.accepted_share) for s in stats.by_section],
            maximum=100,
            unit="%",
        ),
    }


def report_context(report: Report, *, sha256: str | None = None, preview: bool = False) -> dict:
    return {
        "report": report,
        "charts": report_charts(report),
        "sha256": sha256,
        "preview": preview,
        "published_at": datetime.fromisoformat(report.published_at),
        "opens_at": datetime.fromisoformat(report.course.opens_at),
        "closes_at": datetime.fromisoformat(report.course.closes_at),
        "group_label": group_label,
        "resulting_version": resulting_version(report),
        "forms": [form_with_count(form, report) for form in report.course.forms],
        "record": record_facts(report) if report.filing else [],
        "signature": signature_lines(report.filing) if report.filing else [],
    }
