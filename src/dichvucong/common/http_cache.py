"""HTTP validators for reads (docs/adr/0019-reads-and-http-caching.md): ETag and Last-Modified, and the 304 answer to
`If-None-Match` / `If-Modified-Since` given before anything is rendered.

The caller decides access first and computes the validator from what it has already read (a cheap column such as
`updated_at`, plus a version), then calls `not_modified(...)`: a 304 for a matching request, else None, and it
renders the body and passes the response through `validated(...)`. So a 304 never tells anything to someone who
may not see the object (they got their 404 before any validator was computed).

- `private=True` (personal data: a dossier, a lookup answer, a page with the user's header): `Cache-Control:
  private, no-cache` (a browser may keep it and must ask again; no shared cache stores it), `Vary: Authorization,
  Cookie, Accept-Language`.
- `private=False` (the public catalogue's API): `Cache-Control: public, no-cache`, `Vary: Accept-Language`.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib

from django.http import HttpResponseNotModified
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

#: Bumped when the representation of a read changes without any row changing (a new field, another layout).
REPRESENTATION_VERSION = "1"


def make_etag(*parts) -> str:
    """A strong ETag over `parts`, the active language and `REPRESENTATION_VERSION` (quoted)."""
    text = "\x1f".join(str(part) for part in (REPRESENTATION_VERSION, translation.get_language(), *parts))
    return quote_etag(hashlib.blake2b(text.encode(), digest_size=12).hexdigest())


def _timestamp(moment: datetime.datetime | None) -> int | None:
    return calendar.timegm(moment.utctimetuple()) if moment is not None else None


def validated(response, *, etag: str, last_modified: datetime.datetime | None = None, private: bool = True):
    """Set the validators and the cache policy on `response` (a 200 or a 304)."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(_timestamp(last_modified))
    if private:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
    else:
        patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ("Accept-Language",))
    return response


def not_modified(
    request, *, etag: str, last_modified: datetime.datetime | None = None, private: bool = True
) -> HttpResponseNotModified | None:
    """A 304 (with the same validators and cache policy) when the GET/HEAD `request`'s preconditions say the client
    has this representation; None otherwise. Call it after the access decision."""
    if request.method not in ("GET", "HEAD"):
        return None
    response = get_conditional_response(request, etag=etag, last_modified=_timestamp(last_modified))
    if response is None or response.status_code != 304:
        return None
    return validated(response, etag=etag, last_modified=last_modified, private=private)
