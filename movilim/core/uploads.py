"""Documents people attach (project files, knowledge items): one check for every app.

A file is refused by its declared size before any of it is read, then by its type: the
extension must be one we accept and its first bytes must be what such a file begins with, so
that a renamed executable or HTML page is not stored and served as a "PDF".
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput

_ZIP = (b"PK\x03\x04",)  # the Office Open XML formats are zip files

#: Accepted documents: extension -> (content type to serve it with, signatures it starts with).
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def checked_document(upload: UploadedFile) -> str:
    """The content type ``upload`` is to be served with; ``InvalidInput`` if it is refused."""
    if upload.size is None or upload.size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(_("The file is larger than 10 MB."))
    if not upload.size:
        raise InvalidInput(_("The file is empty."))
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_TYPES:
        raise InvalidInput(
            _("Upload a PDF, Word, PowerPoint or Excel document, or a PNG or JPEG image.")
        )
    content_type, signatures = DOCUMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(signatures):
        raise InvalidInput(_("The file's content does not match its type."))
    return content_type
