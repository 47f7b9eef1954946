"""The kinds of file a council may accept as evidence, by short name as content/assessments/*.yaml lists them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    id: str
    label: str  # as the supplier sees it: "PDF", "Word document (DOCX)"
    content_type: str
    extensions: tuple[str, ...]


FILE_TYPES = {
    t.id: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", (".pdf",)),
        FileType("docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
        FileType("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
        FileType("odt", "ODT", "application/vnd.oasis.opendocument.text", (".odt",)),
        FileType("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
        FileType("csv", "CSV", "text/csv", (".csv",)),
        FileType("png", "PNG", "image/png", (".png",)),
        FileType("jpeg", "JPG", "image/jpeg", (".jpg", ".jpeg")),
    )
}
DEFAULT_TYPES = tuple(FILE_TYPES)
# One meaning of MB for the hint, the check and the sizes shown: a million bytes, as the supplier's computer
# most likely counts it. A file must be smaller than its slot's limit.
BYTES_PER_MB = 1_000_000


def list_in_words(type_ids) -> str:
    """'PDF, DOCX or PNG', as a GOV.UK error message names the allowed types."""
    labels = [FILE_TYPES[t].label for t in type_ids]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
