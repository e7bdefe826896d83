"""Reads of the wallet: a citizen sees only their own items (anyone else's are 404)."""

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dichvucong.common.errors import NotFoundError

from .models import WalletItem


def wallet_items_for(user, *, kind: str | None = None) -> QuerySet[WalletItem]:
    if not getattr(user, "is_authenticated", False):
        return WalletItem.objects.none()
    items = WalletItem.objects.filter(owner=user).select_related("required_document")
    return items.filter(kind=kind) if kind else items


def wallet_item_get_for(*, user, item_id) -> WalletItem:
    try:
        key = uuid.UUID(str(item_id))
    except ValueError:
        key = None
    item = wallet_items_for(user).filter(uuid=key).first() if key else None
    if item is None:
        raise NotFoundError(_("Không tìm thấy giấy tờ trong kho dữ liệu."), code="wallet_item_not_found")
    return item
