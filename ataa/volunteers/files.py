"""Checks on uploaded proofs: the content decides what a file is, not its name.

A proof is a PDF, a JPEG or a PNG of at most 5 MB. The first bytes must carry the format's
signature; images must also open and verify with Pillow, and a PDF must end with its `%%EOF`
marker. The file is stored under a random name with the extension of the detected format.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ataa.core.errors import ServiceError

MAX_PROOF_BYTES = 5 * 1024 * 1024

_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
]
_PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG"}


def _refuse(message) -> ServiceError:
    return ServiceError(message, code="invalid_proof", fields={"proof": [message]})


def proof_format(upload) -> str:
    """ "pdf", "png" or "jpg" for an acceptable proof; raises ServiceError otherwise."""
    if upload is None:
        raise _refuse(_("Attach the proof: a PDF, JPEG or PNG file."))
    if upload.size is None or upload.size > MAX_PROOF_BYTES:
        raise _refuse(_("The proof is larger than 5 MB."))
    if upload.size == 0:
        raise _refuse(_("The proof is an empty file."))
    upload.seek(0)
    head = upload.read(16)
    detected = next((fmt for signature, fmt in _SIGNATURES if head.startswith(signature)), None)
    not_a_proof = _("The proof must be a PDF, JPEG or PNG file; this file is none of them.")
    if detected is None:
        raise _refuse(not_a_proof)
    if detected == "pdf":
        upload.seek(max(upload.size - 2048, 0))
        if b"%%EOF" not in upload.read():
            raise _refuse(not_a_proof)
    else:
        from PIL import Image

        try:
            upload.seek(0)
            with Image.open(upload) as image:
                if image.format != _PILLOW_FORMATS[detected]:
                    raise ValueError(image.format)
                image.verify()
        except Exception:
            raise _refuse(not_a_proof) from None
    upload.seek(0)
    return detected
