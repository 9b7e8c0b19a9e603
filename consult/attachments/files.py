"""What a file is, judged by its content (never by its name), and where its bytes are kept.

:func:`inspect_file` reads the bytes: a PDF starts with ``%PDF-``, a DOCX or an ODT is a
ZIP archive with the parts its format requires, a JPEG, a PNG and an e-mail (``.eml``)
have their own marks. It refuses what is empty, too large, encrypted (a PDF with an
``/Encrypt`` dictionary, an ODT whose manifest has encryption data, a password-protected
Office file, which is an OLE container), a ZIP that would unpack to far more than it
weighs (a zip bomb) and a file whose name says another type than its content.
"""

import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from consult.core.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024  # what the ZIP inside a DOCX or ODT may unpack to, in all
MAX_RATIO = 200  # unpacked size per packed byte of one member (document XML packs 10 to 50 times)
MAX_MEMBERS = 5000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    code: str  # "pdf", "docx", "odt", "jpeg", "png", "eml"
    extension: str
    content_type: str
    label: str  # what a person calls it


FILE_TYPES = {
    t.code: t
    for t in (
        FileType("pdf", "pdf", "application/pdf", "PDF"),
        FileType(
            "docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX (Word)"
        ),
        FileType("odt", "odt", "application/vnd.oasis.opendocument.text", "ODT (OpenDocument)"),
        FileType("jpeg", "jpg", "image/jpeg", "JPEG"),
        FileType("png", "png", "image/png", "PNG"),
        FileType("eml", "eml", "message/rfc822", "e-mail (EML)"),
    )
}
DOCUMENT_TYPES = ("pdf", "docx", "odt")  # position papers and the consultation's documents
LETTER_TYPES = ("pdf", "docx", "odt", "jpeg", "png", "eml")  # a scan, or the e-mail itself
_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "odt": "odt", "jpg": "jpeg", "jpeg": "jpeg", "png": "png", "eml": "eml"}


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES", MAX_BYTES))


def _types_named(allowed: tuple[str, ...]) -> str:
    return ", ".join(FILE_TYPES[code].label for code in allowed)


# --- what the content is ------------------------------------------------------------------------


def _zip_type(data: bytes) -> str | None:
    """ "docx" or "odt" for a sound archive of that format; raises for a bomb or encryption."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if len(members) > MAX_MEMBERS:
        raise InvalidInput(_("The file holds too many parts to be a document."), field="file")
    unpacked = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise InvalidInput(
                _("The file is encrypted. Save it without a password and attach it again."), field="file"
            )
        unpacked += member.file_size
        if unpacked > MAX_UNPACKED or member.file_size > MAX_RATIO * max(member.compress_size, 1024):
            raise InvalidInput(
                _("The file would unpack to far more than it weighs (a “zip bomb”); it is refused."), field="file"
            )
    names = {member.filename for member in members}
    try:
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
            if archive.read("mimetype").strip() != _ODT_MIMETYPE:
                return None
            manifest = archive.getinfo("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else None
            if (
                manifest is not None
                and manifest.file_size < 1024 * 1024
                and b"encryption-data" in archive.read(manifest)
            ):
                raise InvalidInput(
                    _("The document is protected with a password. Save it without one and attach it again."),
                    field="file",
                )
            return "odt"
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError):
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    return None


def _is_email(data: bytes) -> bool:
    """Headers first (name, colon, value), among them From and a Date or a Subject."""
    head = data[: 64 * 1024]
    if not re.match(rb"[A-Za-z][A-Za-z0-9-]*:[ \t]", head):
        return False
    headers = BytesHeaderParser().parsebytes(head)
    return bool(headers.get("From")) and bool(headers.get("Date") or headers.get("Subject"))


def content_type_of(data: bytes) -> str | None:
    """The code of the file's type from its content, or None when it is none of the known ones."""
    if data.startswith(b"%PDF-"):
        if re.search(rb"/Encrypt\s*(\d+\s+\d+\s+R|<<)", data):
            raise InvalidInput(
                _("The PDF is protected with a password. Save it without one and attach it again."), field="file"
            )
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if data.startswith(_OLE):
        raise InvalidInput(
            _(
                "This is a password-protected Office file or an old Word (.doc) file. "
                "Save it as PDF, DOCX or ODT without a password and attach it again."
            ),
            field="file",
        )
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if _is_email(data):
        return "eml"
    return None


def safe_filename(name: str, file_type: FileType) -> str:
    """The name to download it under: no folders, no control or reserved characters, its real extension."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join("_" if unicodedata.category(ch)[0] == "C" or ch in '<>:"/\\|?*' else ch for ch in stem)
    stem = " ".join(stem.split()).strip(" .")[:120] or "plik"
    return f"{stem}.{file_type.extension}"


def inspect_file(data: bytes, name: str, allowed: tuple[str, ...]) -> FileType:
    """The type of an uploaded file, or InvalidInput saying what is wrong with it."""
    if not data:
        raise InvalidInput(_("The file is empty."), field="file")
    limit = max_bytes()
    if len(data) > limit:
        raise InvalidInput(
            _(
                "The file is %(size)s MB; files may have at most %(max)s MB.",
                size=f"{len(data) / 1048576:.1f}",
                max=f"{limit / 1048576:g}",
            ),
            field="file",
        )
    code = content_type_of(data)
    if code is None or code not in allowed:
        raise InvalidInput(
            _(
                "The content of this file is not a %(types)s file (the content is checked, not the name).",
                types=_types_named(allowed),
            ),
            field="file",
        )
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if extension and _EXTENSIONS.get(extension) != code:
        raise InvalidInput(
            _(
                "The file is called “%(name)s” but its content is %(type)s. Give it the right name, "
                "or choose the file you meant.",
                name="".join(ch for ch in base if unicodedata.category(ch)[0] != "C")[:200],
                type=FILE_TYPES[code].label,
            ),
            field="file",
        )
    return FILE_TYPES[code]


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- where the bytes are -------------------------------------------------------------------------


def storage_dir() -> Path | None:
    """``ATTACHMENTS_DIR`` when configured; None keeps the bytes in the database."""
    configured = current_app.config.get("ATTACHMENTS_DIR")
    return Path(configured) if configured else None


def _path(directory: Path, sha256: str) -> Path:
    return directory / sha256[:2] / sha256


def store_bytes(data: bytes, sha256: str) -> bytes | None:
    """Keep the bytes: written to the directory (returns None) or returned for the row's column.

    The file is named by its checksum and written whole before it appears (a temporary file
    renamed), so a request that is rolled back leaves at most a file no row names.
    """
    directory = storage_dir()
    if directory is None:
        return data
    path = _path(directory, sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temporary:
            temporary.write(data)
        os.replace(temporary.name, path)
    return None


def read_bytes(data: bytes | None, sha256: str) -> bytes | None:
    """The bytes of a stored file, or None when the directory has lost it."""
    if data is not None:
        return data
    directory = storage_dir()
    if directory is None:
        return None
    path = _path(directory, sha256)
    return path.read_bytes() if path.is_file() else None
