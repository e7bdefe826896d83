"""Official forms of Circular 01/2018/TT-VPCP as PDF (and the tracking book as Excel), from plain data objects.

The fonts and the layout primitives they share with the other printed documents are in `dichvucong.pdf`.

    from dichvucong.dossiers.forms_pdf import ReceiptData, DocumentLine, render_receipt, lookup_url
    pdf_bytes = render_receipt(ReceiptData(code=..., applicant_name=..., agency_name=..., ...))
"""

from .data import (
    ApologyData,
    ControlSlipData,
    DocumentLine,
    FormBase,
    HandOver,
    ReceiptData,
    RefusalData,
    SupplementRequestData,
    TrackingBookData,
    TrackingBookRow,
    lookup_url,
)
from .forms import render_apology, render_control_slip, render_receipt, render_refusal, render_supplement_request
from .tracking_book import render_tracking_book, render_tracking_book_xlsx

__all__ = [
    "ApologyData",
    "ControlSlipData",
    "DocumentLine",
    "FormBase",
    "HandOver",
    "ReceiptData",
    "RefusalData",
    "SupplementRequestData",
    "TrackingBookData",
    "TrackingBookRow",
    "lookup_url",
    "render_apology",
    "render_control_slip",
    "render_receipt",
    "render_refusal",
    "render_supplement_request",
    "render_tracking_book",
    "render_tracking_book_xlsx",
]
