"""Open data: consultations as JSON (DESIGN.md §4). Organisation names only, no persons."""

from flask import url_for

from consult.consultations.models import Consultation
from consult.core.time import to_local
from consult.drafts.queries import DocumentTree, SectionNode


def iso(moment) -> str | None:
    return to_local(moment).isoformat() if moment else None


def consultation_summary(consultation: Consultation) -> dict:
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "status": consultation.status.value,
        "opens_at": iso(consultation.opens_at),
        "closes_at": iso(consultation.closes_at),
        "url": url_for("consultations.show_consultation", slug=consultation.slug, _external=True),
    }


def _section(node: SectionNode, comment_counts: dict[str, int]) -> dict:
    return {
        "id": node.section.id,
        "label": node.section.label,
        "heading": node.section.heading,
        "paragraphs": [
            {"key": p.key, "label": p.label, "text": p.text, "comment_count": comment_counts.get(p.key, 0)}
            for p in node.paragraphs
        ],
        "sections": [_section(child, comment_counts) for child in node.children],
    }


def consultation_detail(consultation: Consultation, document: DocumentTree | None,
                        comment_counts: dict[str, int]) -> dict:
    body = consultation_summary(consultation)
    del body["url"]
    body["version"] = None if document is None else {
        "number": document.version.number,
        "sections": [_section(node, comment_counts) for node in document.sections],
    }
    return body
