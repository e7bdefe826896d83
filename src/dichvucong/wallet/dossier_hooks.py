"""What the data wallet adds to the dossier lifecycle (dossiers.registry, ADR 0005): the citizen's wallet items as an
attachment source, and the choices the submission wizard offers from it."""

from dichvucong.dossiers.registry import registry

from .selectors import wallet_items_for
from .services import attach_wallet_items

registry.attachment_source("wallet_item", attach_wallet_items, choices=lambda user: wallet_items_for(user)[:100])
