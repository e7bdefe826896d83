"""PDFs that a page of this site prints: the print buttons (`dossiers/print.js`) load them in a hidden frame of the
dossier page, so they may be framed by the same origin only (the rest of the site keeps `frame-ancestors 'none'` and
`X-Frame-Options: DENY`)."""

from django.http import HttpResponse


def printable_pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response
