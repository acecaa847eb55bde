"""Electronic waybills: one per parcel, numbered by SSCC, printable as ZPL; paper avoided.

A paper waybill is a multi-part form (typically five sheets: sender, carrier, hubs,
consignee); an e-waybill prints one thermal label instead. The sheets avoided are counted for
the ESG ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from greenlane.errors import FieldError
from greenlane.gs1 import is_valid

PAPER_SHEETS = 5  # parts of the paper waybill an e-waybill replaces (configurable per call)


@dataclass(frozen=True, slots=True)
class Waybill:
    """A parcel's waybill: its SSCC, what it carries, where it goes."""

    sscc: str
    order_ids: tuple[str, ...]
    consignee: str
    address_lines: tuple[str, ...]
    country: str
    service: str
    weight_kg: float
    origin_hub: str
    created_at: datetime

    def __post_init__(self) -> None:
        """Refuse a waybill whose number is not a valid SSCC."""
        if len(self.sscc) != 18 or not is_valid(self.sscc):
            raise FieldError(
                "sscc", f"must be 18 digits with a valid check digit, got {self.sscc!r}"
            )

    @property
    def gs1_128(self) -> str:
        """The barcode's content: application identifier 00, then the SSCC."""
        return f"00{self.sscc}"


def paper_avoided(waybills: Sequence[Waybill], sheets_per_waybill: int = PAPER_SHEETS) -> int:
    """Sheets of paper waybill not printed because these waybills are electronic.

    Parameters
    ----------
    waybills
        The e-waybills.
    sheets_per_waybill
        Sheets of the multi-part paper waybill each replaces.

    Returns
    -------
    int
        Sheets avoided.

    """
    if sheets_per_waybill < 0:
        raise FieldError("sheets_per_waybill", "must be >= 0")
    return len(waybills) * sheets_per_waybill


def zpl(waybill: Waybill, tracking_url: str) -> str:
    """The label in ZPL II for a 4 x 6 inch thermal printer (203 dpi).

    The GS1-128 barcode starts in subset C with FNC1 (``>;>8``); the QR code carries the
    public tracking address. Text fields lose ``^`` and ``~``, which ZPL reads as commands.

    Parameters
    ----------
    waybill
        The waybill.
    tracking_url
        The public tracking address (in the QR code).

    Returns
    -------
    str
        The label's ZPL.

    References
    ----------
    GS1 Logistics Label Guideline (GS1-128 with AI 00); Zebra "ZPL II Programming Guide".

    """
    lines = [
        "^XA",
        "^CI28",
        "^FO40,30^A0N,34,34^FDgreenlane e-waybill^FS",
        f"^FO40,80^A0N,28,28^FDTo: {_text(waybill.consignee)}^FS",
        *(
            f"^FO40,{115 + 32 * n}^A0N,26,26^FD{_text(line)}^FS"
            for n, line in enumerate(waybill.address_lines[:4])
        ),
        f"^FO40,260^A0N,26,26^FD{_text(waybill.country)} / {_text(waybill.service)} / "
        f"{waybill.weight_kg:.2f} kg / from {_text(waybill.origin_hub)}^FS",
        f"^FO560,80^BQN,2,5^FDQA,{_text(tracking_url)}^FS",
        f"^FO40,320^BY3^BCN,160,Y,N,N^FD>;>8{waybill.gs1_128}^FS",
        "^XZ",
    ]
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    return value.replace("^", " ").replace("~", " ")
