"""Why a file was refused. Each error has a stable machine code that the API and CLI report."""

from __future__ import annotations


class ParseError(Exception):
    """A file we cannot turn into a report; `code` is stable and documented."""

    code = "parse_error"
    title = "The file could not be parsed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotAPdf(ParseError):
    code = "unsupported_media_type"
    title = "Not a PDF file"


class EmptyFile(ParseError):
    code = "empty_file"
    title = "The file is empty"


class PdfEncrypted(ParseError):
    code = "pdf_encrypted"
    title = "The PDF is encrypted"


class PdfUnreadable(ParseError):
    code = "pdf_unreadable"
    title = "The PDF is truncated or corrupt"


class NoTextLayer(ParseError):
    code = "no_text_layer"
    title = "The PDF has no text layer (image-only scan)"


class TooManyPages(ParseError):
    code = "too_many_pages"
    title = "The PDF has more pages than the parser accepts"
