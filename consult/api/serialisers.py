"""Open data: consultations as JSON (DESIGN.md §4). Organisation names only, no persons."""

from flask import url_for

from consult.consultations.models import Consultation
from consult.core.labels import receipt
from consult.core.time import to_local
from consult.drafts.queries import DocumentTree, SectionNode
from consult.moderation.models import PositionState


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


def consultation_detail(
    consultation: Consultation, document: DocumentTree | None, comment_counts: dict[str, int]
) -> dict:
    body = consultation_summary(consultation)
    del body["url"]
    body["version"] = (
        None
        if document is None
        else {
            "number": document.version.number,
            "sections": [_section(node, comment_counts) for node in document.sections],
        }
    )
    return body


def comment_item(comment, supports: int) -> dict:
    """A published comment as open data: the organisation's name, never a person's."""
    position = comment.position
    published = position is not None and position.state == PositionState.PUBLISHED
    return {
        "id": comment.id,
        "paragraph_key": comment.paragraph_key,
        "paragraph_label": comment.paragraph.label if comment.paragraph else None,
        "organisation": comment.organisation.name,
        "kind": comment.kind.value,
        "proposed_text": comment.proposed_text,
        "justification": comment.justification,
        "supports": supports,
        "submitted_at": iso(comment.submitted_at),
        "channel": comment.channel.value,  # "online", or how the office received it
        "position": {"status": position.status.value, "reason": position.reason} if published else None,
    }


def version_summary(version, counts: dict[str, int]) -> dict:
    return {
        "number": version.number,
        "title": version.title,
        "published_at": iso(version.published_at),
        "counts": {
            "sections": counts.get("sections", 0),
            "provisions": counts.get("provisions", 0),
            "comments": counts.get("comments", 0),
        },
    }


def version_document(document: DocumentTree, comment_counts: dict[str, int]) -> dict:
    """One version as the consultation's JSON shows the current one: ``key`` on every provision."""
    version = document.version
    return {
        "number": version.number,
        "title": version.title,
        "published_at": iso(version.published_at),
        "sections": [_section(node, comment_counts) for node in document.sections],
    }


def _provision(provision) -> dict:
    return {"key": provision.key, "label": provision.label, "text": provision.text}


def change_item(change, receipt_prefix: str) -> dict:
    """One change between two versions. ``old``/``new`` is the provision that keeps the key;
    a split or merge lists every part in ``old_parts``/``new_parts``."""
    return {
        "kind": change.kind.value,
        "old": _provision(change.old[0]) if change.old else None,
        "new": _provision(change.new[0]) if change.new else None,
        "old_parts": [_provision(p) for p in change.old],
        "new_parts": [_provision(p) for p in change.new],
        "words_changed": change.words_changed,
        "comments": [receipt(receipt_prefix, number) for number in change.receipts],
    }
