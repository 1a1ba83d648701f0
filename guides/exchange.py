"""Translation files for working offline: XLIFF 2.0, PO (gettext) and CSV, out and back in.

Each text travels with its id ("service.12.title") and the hash of the English it was
exported from, so an upload can tell when the English changed in the meantime. This module
only writes and reads files; checking an upload against the guide is services.preview_import.

Each format says in its own way whether the translator vouches for a text:
- XLIFF: segment state "translated", "reviewed" or "final", or no state at all (a tool that
  keeps none); "initial" means not confirmed. Outdated texts go out as "initial" with the
  old translation as target, so a tool shows them as needing work.
- PO: the "fuzzy" flag means not confirmed; outdated texts go out fuzzy, as gettext does.
- CSV: the translation column is empty on export; a filled cell is confirmed unless the
  needs_review cell says yes.
A text not confirmed is imported as a draft if it differs from the guide, else left alone.
"""

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import polib
from django.utils.translation import gettext as _

from infobus.lib.spreadsheet import safe_cell

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
# Our own attribute on <unit>: XLIFF 2 lets any element carry attributes of other namespaces.
INFOBUS_NS = "urn:infobus:translation:1"
SOURCE_HASH_ATTR = f"{{{INFOBUS_NS}}}sourceHash"
# Short enough that the "#. " line stays under polib's 78 columns and is never wrapped.
PO_HASH_PREFIX = "sha256: "
PO_HASH = re.compile(r"sha256:\s*([0-9a-f]{64})")
CSV_COLUMNS = [
    "id",
    "language",
    "status",
    "source_hash",
    "max_length",
    "context",
    "english",
    "current_translation",
    "translation",
    "needs_review",
]
CSV_REQUIRED = ["id", "language", "source_hash", "translation"]
CONFIRMED_XLIFF_STATES = {"translated", "reviewed", "final"}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EXTENSIONS = {".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".csv": "csv"}
CONTENT_TYPES = {
    "xliff": "application/xliff+xml; charset=utf-8",
    "po": "text/x-gettext-translation; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
FILE_EXTENSIONS = {"xliff": "xlf", "po": "po", "csv": "csv"}


class FileError(Exception):
    """A file that cannot be read as a translation file; the message says why, for people."""


@dataclass(frozen=True)
class ExportUnit:
    id: str
    source: str
    source_hash: str
    target: str  # the current, outdated translation; "" when missing
    note: str
    status: str
    max_length: int | None


@dataclass(frozen=True)
class ParsedUnit:
    id: str
    source: str | None
    source_hash: str | None
    target: str
    confirmed: bool
    has_inline_codes: bool = False


@dataclass(frozen=True)
class ParsedFile:
    file_format: str
    language: str
    units: list


# --- Writing ---------------------------------------------------------------------------------


def export(file_format, language, units):
    return {"xliff": export_xliff, "po": export_po, "csv": export_csv}[file_format](language, units)


def export_xliff(language, units):
    # Plain tag names with the namespaces declared as attributes: ElementTree would otherwise
    # write ns0: prefixes, which some tools do not read as XLIFF.
    root = ET.Element(
        "xliff",
        {
            "xmlns": XLIFF_NS,
            "xmlns:ib": INFOBUS_NS,
            "version": "2.0",
            "srcLang": "en",
            "trgLang": language,
        },
    )
    # One segment per unit: our ids and hashes name whole texts, so tools must not split them.
    file_el = ET.SubElement(root, "file", {"id": f"infobus-{language}", "canResegment": "no"})
    for unit in units:
        unit_el = ET.SubElement(file_el, "unit", {"id": unit.id, "ib:sourceHash": unit.source_hash})
        notes = ET.SubElement(unit_el, "notes")
        ET.SubElement(notes, "note", {"category": "context"}).text = unit.note
        segment = ET.SubElement(unit_el, "segment", {"state": "initial"} if unit.target else {})
        ET.SubElement(segment, "source", {"xml:space": "preserve"}).text = unit.source
        if unit.target:
            ET.SubElement(segment, "target", {"xml:space": "preserve"}).text = unit.target
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def export_po(language, units):
    po = polib.POFile(wrapwidth=78)
    po.header = (
        "Infobus New Arrival Guide: texts to translate.\n"
        "msgctxt is the text's id and must not change. Entries marked fuzzy hold an old\n"
        "translation of an English that has changed: correct it, then clear the fuzzy flag."
    )
    po.metadata = {
        "Project-Id-Version": "Infobus New Arrival Guide",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for unit in units:
        po.append(
            polib.POEntry(
                msgctxt=unit.id,
                msgid=unit.source,
                msgstr=unit.target,
                comment=f"{unit.note}\n{PO_HASH_PREFIX}{unit.source_hash}",
                flags=["fuzzy"] if unit.target else [],
            )
        )
    return str(po).encode("utf-8")


def export_csv(language, units):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for unit in units:
        writer.writerow(
            [
                unit.id,
                language,
                unit.status,
                unit.source_hash,
                unit.max_length or "",
                # Only for reading: a text that looks like a formula is shown, never run.
                safe_cell(unit.note or ""),
                safe_cell(unit.source or ""),
                safe_cell(unit.target or ""),
                "",
                "",
            ]
        )
    # With the byte-order mark, spreadsheets open the file as UTF-8 rather than guessing.
    return out.getvalue().encode("utf-8-sig")


# --- Reading ---------------------------------------------------------------------------------


def format_of(filename):
    name = (filename or "").lower()
    for extension, file_format in EXTENSIONS.items():
        if name.endswith(extension):
            return file_format
    raise FileError(_("Upload a file ending in .xlf, .xliff, .po or .csv."))


def parse(filename, data):
    """A ParsedFile from an uploaded file's name and bytes, or FileError."""
    file_format = format_of(filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileError(_("The file is larger than 5 MB: split it or check it is the right file."))
    text = _decode(data)
    return {"xliff": parse_xliff, "po": parse_po, "csv": parse_csv}[file_format](text)


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(
            _("The file is not UTF-8 text. Save it with the encoding UTF-8 and upload it again.")
        ) from None


def _language(code):
    return (code or "").strip().lower().replace("_", "-")


def parse_xliff(text):
    def q(tag):
        return f"{{{XLIFF_NS}}}{tag}"

    # Translation files never need a DTD: refusing one rules out entity expansion attacks.
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise FileError(_("The file declares a DTD or entities; XLIFF files need none."))
    try:
        root = ET.fromstring(text)  # noqa: S314 - DTDs refused above, so no entity expands
    except ET.ParseError as error:
        raise FileError(
            _("This is not a well-formed XML file (%(error)s).") % {"error": error}
        ) from None
    if root.tag != q("xliff") or not (root.get("version") or "").startswith("2."):
        raise FileError(_("This XML file is not XLIFF 2.0. Export XLIFF 2.0 from your tool."))
    if _language(root.get("srcLang")).split("-")[0] != "en":
        raise FileError(_("The file's source language is not English."))
    units = []
    for unit in root.iter(q("unit")):
        segments = unit.findall(q("segment"))
        if len(segments) != 1:
            raise FileError(
                _("Text %(id)s was split into %(n)s segments: keep one segment per text.")
                % {"id": unit.get("id"), "n": len(segments)}
            )
        segment = segments[0]
        source = segment.find(q("source"))
        target = segment.find(q("target"))
        state = segment.get("state")
        units.append(
            ParsedUnit(
                id=(unit.get("id") or "").strip(),
                source="".join(source.itertext()) if source is not None else None,
                source_hash=(unit.get(SOURCE_HASH_ATTR) or "").strip() or None,
                target="".join(target.itertext()) if target is not None else "",
                confirmed=state is None or state in CONFIRMED_XLIFF_STATES,
                has_inline_codes=target is not None and len(target) > 0,
            )
        )
    return ParsedFile("xliff", _language(root.get("trgLang")), units)


def parse_po(text):
    if "msgid" not in text:
        raise FileError(_("This is not a PO file: it has no msgid."))
    try:
        # polib opens its argument as a path when a file of that name exists; a leading
        # newline makes sure uploaded content is always read as content.
        po = polib.pofile("\n" + text, encoding="utf-8")
    except (OSError, ValueError) as error:
        raise FileError(
            _("This is not a PO file polib can read (%(error)s).") % {"error": error}
        ) from None
    units = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            raise FileError(_("The file has plural forms; guide texts have none."))
        hashes = PO_HASH.findall(entry.comment or "")
        units.append(
            ParsedUnit(
                id=(entry.msgctxt or "").strip(),
                source=entry.msgid,
                source_hash=hashes[0] if hashes else None,
                target=entry.msgstr,
                confirmed="fuzzy" not in entry.flags,
            )
        )
    return ParsedFile("po", _language(po.metadata.get("Language")), units)


def parse_csv(text):
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [name for name in CSV_REQUIRED if name not in header]
        if missing:
            raise FileError(
                _("Wrong columns: the file needs %(needed)s; it has %(found)s.")
                % {
                    "needed": ", ".join(CSV_REQUIRED),
                    "found": ", ".join(header) or _("none"),
                }
            )
        rows = []
        for row in reader:
            # More cells than columns: a comma or quote in a text split the row, and the
            # cells after it moved; what would be read as the translation is not it.
            if row.get(None) is not None:
                raise FileError(
                    _(
                        "Line %(line)d has more cells than the first line: a comma or a quote "
                        "in a text may have split it. Correct that line and upload again."
                    )
                    % {"line": reader.line_num}
                )
            rows.append(row)
    except csv.Error as error:
        raise FileError(_("This is not a CSV file (%(error)s).") % {"error": error}) from None
    languages = {_language(row.get("language")) for row in rows}
    if len(languages) > 1:
        raise FileError(_("The file mixes languages: upload one language per file."))
    units = [
        ParsedUnit(
            id=(row.get("id") or "").strip(),
            source=None,
            source_hash=(row.get("source_hash") or "").strip() or None,
            target=row.get("translation") or "",
            confirmed=(row.get("needs_review") or "").strip().lower()
            not in {"yes", "y", "x", "1", "true"},
        )
        for row in rows
    ]
    return ParsedFile("csv", languages.pop() if languages else "", units)
