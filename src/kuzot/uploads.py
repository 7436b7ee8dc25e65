"""What one request may carry, in one place, and the upload handler that keeps it in memory.

The limits below are stated on the forms, in docs/intake.md, and given to the web server
(``kuzot serve``), so that each layer agrees on what is accepted:

* a complaint (or a submitter's answer): up to ``COMPLAINT_FILES`` files of at most
  ``COMPLAINT_FILE_BYTES`` each;
* an evidence file: at most ``MAX_UPLOAD_BYTES``;
* the files of one request together: at most ``MAX_UPLOAD_BYTES`` (five complaint files of the
  maximum size fit exactly);
* everything else in a request (the typed text): at most ``MAX_FIELDS_BYTES``;
* a whole request: ``MAX_REQUEST_BYTES``; waitress (and the documented nginx) refuse a longer
  one before reading it; under gunicorn the handler below reads it on, keeping no more than the
  limit, and the form refuses it.

Nothing of a request is ever written to a temporary file: a complaint's text and files, and an
evidence file, are plaintext until they are encrypted. ``MemoryUploadHandler`` keeps the files
in memory, up to ``MAX_UPLOAD_BYTES`` for the request. A file past that is not kept but still
counted: it arrives empty, with the size that was sent, so that the form refuses it by name and
shows again everything the person typed (Django's own memory handler drops such a file without
a word, and a complaint was stored without its files).
"""

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.utils.translation import gettext as _

MIB = 1024 * 1024
COMPLAINT_FILES = 5
COMPLAINT_FILE_BYTES = 10 * MIB
MAX_UPLOAD_BYTES = COMPLAINT_FILES * COMPLAINT_FILE_BYTES
MAX_FIELDS_BYTES = 1 * MIB
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + MAX_FIELDS_BYTES
# Images are opened (to strip their metadata) only below this many pixels: a 480 KB PNG that
# declares 20,000 × 20,000 pixels took the server to 2.7 GB when it was decoded. 40 million
# pixels is more than any phone's default photo (12–50 MP sensors save 12 MP by default) and
# about 120 MB once decoded.
MAX_IMAGE_PIXELS = 40_000_000


def megabytes(size: int) -> str:
    """A limit as people read it on the form: "10 MB"."""
    return _("%(n)d MB") % {"n": size // MIB}


class MemoryUploadHandler(FileUploadHandler):
    """Every file of the request in memory, ``MAX_UPLOAD_BYTES`` at most in all."""

    def __init__(self, request=None):
        super().__init__(request)
        self.kept = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()
        self.dropped = False
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if not self.dropped and self.kept + len(raw_data) <= MAX_UPLOAD_BYTES:
            self.file.write(raw_data)
            self.kept += len(raw_data)
        elif not self.dropped:
            # Over the limit: let the memory go and read on, so the fields after it still arrive.
            self.file, self.dropped = io.BytesIO(), True

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
