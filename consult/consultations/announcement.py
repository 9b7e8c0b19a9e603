"""The announcement of a consultation for the public information bulletin (BIP): its text,
and the same as DOCX and ODT for the office that publishes it.

The text is in Polish whatever the page's language: BIP is.
"""

import io
import unicodedata
from dataclasses import dataclass

from docx import Document as DocxDocument
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from odfdo import Document as OdtDocument
from odfdo import Header, Paragraph

from consult.consultations.models import Consultation
from consult.core.mail import external_url


@dataclass(frozen=True)
class Announcement:
    title: str
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "\n\n".join([self.title, *self.paragraphs])


def _clean(text: str) -> str:
    """Control characters (a pasted vertical tab) make Word and LibreOffice refuse the file."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def announcement(consultation: Consultation) -> Announcement:
    with force_locale("pl"):
        when = "d MMMM y 'r.', HH:mm"
        paragraphs = [
            _(
                "%(organiser)s invites non-governmental organisations and the entities listed in art. 3 sec. 3 "
                "of the Act on public benefit activity and volunteering to take part in the consultation of "
                "the draft “%(title)s”.",
                organiser=consultation.organiser or _("The organiser"),
                title=consultation.title,
            ),
            _(
                "The consultation lasts from %(opens)s to %(closes)s.",
                opens=format_datetime(consultation.opens_at, when),
                closes=format_datetime(consultation.closes_at, when),
            ),
            _(
                "Comments on the draft, paragraph by paragraph, are sent through the consultation platform, "
                "where the draft can also be read: %(link)s",
                link=external_url("consultations.show_consultation", slug=consultation.slug),
            ),
        ]
        if consultation.areas:
            paragraphs.append(
                _(
                    "Areas of public benefit concerned: %(areas)s.",
                    areas="; ".join(a.name_pl for a in consultation.areas),
                )
            )
        if consultation.legal_basis.strip():
            paragraphs.append(_("Legal basis: %(basis)s", basis=consultation.legal_basis.strip()))
        if consultation.summary.strip():
            paragraphs.append(consultation.summary.strip())
        paragraphs.append(
            _(
                "Every comment gets an answer; the report of the consultation, with all comments and the "
                "organiser's positions, will be published on the platform and in the bulletin."
            )
        )
        title = _("Announcement of a consultation: %(title)s", title=consultation.title)
    return Announcement(title=_clean(title), paragraphs=[_clean(p) for p in paragraphs])


def to_docx(text: Announcement) -> bytes:
    document = DocxDocument()
    document.add_heading(text.title, level=1)
    for paragraph in text.paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_odt(text: Announcement) -> bytes:
    document = OdtDocument("text")
    body = document.body
    body.clear()
    body.append(Header(1, text.title))
    for paragraph in text.paragraphs:
        body.append(Paragraph(paragraph))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
