"""The catalog context's HTML pages (docs/adr/0006-web-layer.md): `public` (the catalogue anyone reads), `office`
(the officers' change requests)."""

from .office import change_requests
from .public import blank_form, exceptions, online_services, procedure_detail, procedure_list

__all__ = ["blank_form", "change_requests", "exceptions", "online_services", "procedure_detail", "procedure_list"]
