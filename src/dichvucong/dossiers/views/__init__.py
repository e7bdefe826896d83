"""The dossiers context's HTML pages (docs/adr/0006-web-layer.md): `public` for citizens and the public lookup,
`office` for the one-stop desk and the agencies' officers, `common` for the form helpers both use."""

from .office import assisted_online, counter_reception, office_detail, office_list
from .public import draft_edit, draft_review, lookup, my_dossier_detail, my_dossiers, submit_wizard

__all__ = [
    "assisted_online",
    "counter_reception",
    "draft_edit",
    "draft_review",
    "lookup",
    "my_dossier_detail",
    "my_dossiers",
    "office_detail",
    "office_list",
    "submit_wizard",
]
