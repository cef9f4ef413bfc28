"""The agency's upload form, read safely: the records file and its optional mapping, each within
its limit (a body over the limits is refused from its declared length before it is read), and
the seal that binds a confirmation to its preview.

Nothing is kept on the server between the preview and the confirmation. The preview signs the
SHA-256 digests of the file and the mapping with the portal's secret, for the signed-in
principal, valid as long as a session; the confirmation sends the same files again and is
submitted only if they are the ones previewed, by the same principal, within that time. So no
personal data waits on a disk for a confirmation that may never come, several server processes
need nothing shared, and what is stored is exactly what the agency saw.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, ClassVar

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from socialcredit.api.routers.agency_files import MAPPING_LIMIT
from socialcredit.errors import RegistryError, RequestInvalidError, SocialCreditError
from socialcredit.web.settings import PortalSettings


class TooLargeError(SocialCreditError):
    code: ClassVar[str] = "too-large"
    http_status: ClassVar[int] = 413


class PreviewStaleError(RegistryError):
    """A confirmation whose files are not those previewed, or whose preview has expired."""

    code: ClassVar[str] = "preview-stale"


@dataclass(frozen=True)
class Posted:
    """The files of an upload form: the records file and the mapping (None: no mapping)."""

    name: str
    data: bytes
    mapping_name: str | None
    mapping: bytes | None

    def digests(self) -> dict[str, str | None]:
        mapping = None if self.mapping is None else hashlib.sha256(self.mapping).hexdigest()
        return {"file": hashlib.sha256(self.data).hexdigest(), "mapping": mapping}


def declared_too_large(request: Request, settings: PortalSettings) -> TooLargeError | None:
    """The refusal of a body whose declared length exceeds the file's and the mapping's limits."""
    declared = request.headers.get("content-length", "")
    budget = settings.max_upload_bytes + MAPPING_LIMIT + 10_000
    if declared.isdigit() and int(declared) > budget:
        return _too_large(settings.max_upload_bytes)
    return None


def _too_large(limit: int) -> TooLargeError:
    return TooLargeError(f"the upload is larger than {limit} bytes", {"limit": limit})


async def _read(upload: UploadFile, limit: int) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


async def posted_files(form: FormData, settings: PortalSettings) -> Posted:
    """The records file (required) and the mapping (optional: an empty file field is none)."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise RequestInvalidError("choose a records file to upload", {})
    data = await _read(upload, settings.max_upload_bytes)
    mapping = form.get("mapping")
    if isinstance(mapping, UploadFile) and mapping.filename:
        raw = await _read(mapping, MAPPING_LIMIT)
        return Posted(upload.filename, data, mapping.filename, raw)
    return Posted(upload.filename, data, None, None)


def text_field(form: FormData, name: str) -> str | None:
    found = form.get(name)
    return found if isinstance(found, str) else None


class Seal:
    """Signs a preview (the files' digests, for one principal) and checks a confirmation."""

    def __init__(self, settings: PortalSettings) -> None:
        self._signer = URLSafeTimedSerializer(settings.secret, salt="socialcredit-preview")
        self._seconds = settings.session_minutes * 60

    def sign(self, posted: Posted, principal: int) -> str:
        return self._signer.dumps({"principal": principal, **posted.digests()})

    def check(self, token: str | None, posted: Posted, principal: int) -> None:
        """Refuse a confirmation that is not of this principal's preview of these files."""
        try:
            found: dict[str, Any] = self._signer.loads(token or "", max_age=self._seconds)
        except BadSignature:
            raise PreviewStaleError("the preview has expired or is not valid", {}) from None
        if found.get("principal") != principal:
            raise PreviewStaleError("the preview was made by another sign-in", {})
        if {k: found.get(k) for k in ("file", "mapping")} != posted.digests():
            raise PreviewStaleError(
                "the files sent are not the ones previewed", {"previewed": posted.name}
            )
