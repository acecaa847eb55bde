"""Tables as .xlsx: text stays text (no formula, no link), numbers are numbers, names valid."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from greenlane.io.workbook import workbook

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read_workbook(body: bytes) -> dict[str, list[list[object]]]:
    """Each sheet's cells by row: text as str, numbers as float (a reader of the test's own)."""
    book = zipfile.ZipFile(io.BytesIO(body))
    shared = [
        "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
        for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", NS)
    ] if "xl/sharedStrings.xml" in book.namelist() else []  # fmt: skip
    names = [
        s.get("name")
        for s in ElementTree.fromstring(book.read("xl/workbook.xml")).iter(f"{{{NS['m']}}}sheet")
    ]
    sheets: dict[str, list[list[object]]] = {}
    for n, name in enumerate(names, start=1):
        root = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{n}.xml"))
        rows = []
        for row in root.iter(f"{{{NS['m']}}}row"):
            cells: list[object] = []
            for c in row.findall("m:c", NS):
                assert c.find("m:f", NS) is None, "a formula in the workbook"
                value = c.findtext("m:v", default="", namespaces=NS)
                if c.get("t") == "s":
                    cells.append(shared[int(value)])
                else:  # a number, or a blank (an empty text)
                    cells.append(float(value) if value else "")
            rows.append(cells)
        sheets[str(name)] = rows
    return sheets


def test_text_stays_text_and_numbers_are_numbers() -> None:
    """A formula, a link and a number-looking id with letters stay text; 1,234.5 is a number."""
    rows = [["=HYPERLINK(\"http://evil\")", "1,234.5", 3, float("nan")],
            ["https://example.com", "-0.25", None, "12a"]]  # fmt: skip
    sheets = read_workbook(workbook({"t": (["a", "b", "c", "d"], rows)}))
    assert sheets["t"] == [
        ["a", "b", "c", "d"],
        ['=HYPERLINK("http://evil")', 1234.5, 3.0, "nan"],
        ["https://example.com", -0.25, "", "12a"],
    ]


def test_sheet_names_are_ones_excel_accepts() -> None:
    """Forbidden characters replaced, 31 characters at most, the same name twice made unique."""
    long = "x" * 40
    sheets = read_workbook(workbook({"a/b": ([], []), "a:b": ([], []), long: ([], [])}))
    assert list(sheets) == ["a_b", "a_b-2", "x" * 31]
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in sheets)
