"""What the data wallet adds to the dossier lifecycle (dossiers.registry, ADR 0005): wallet items as a source of
attachments (NĐ 45/2020 art. 11: a paper the citizen already has is not asked again), the files of a submitted
dossier and its issued electronic result kept in the owner's wallet."""

from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.registry import LifecycleEvent, registry

from .selectors import wallet_items_for
from .services import attach_wallet_items, wallet_keep_dossier_documents, wallet_keep_result

#: The most wallet items the submission form offers (most recent first).
WALLET_CHOICES = 100

registry.attachment_source(
    "wallet_item", attach_wallet_items, choices=lambda user: wallet_items_for(user)[:WALLET_CHOICES]
)


@registry.on("dossier.submit", "dossier.receive", "dossier.supplement", deferred=True)
def keep_submitted_documents(event: LifecycleEvent) -> None:
    """After a dossier is submitted (or supplemented), its files go to the owner's wallet: later, by the outbox
    worker (a deferred effect, ADR 0024), so a slow or failing wallet neither slows nor refuses the submission; the
    unique owner + content constraint makes a retried delivery keep each file once."""
    if event.created or event.replayed:  # the dossier in hand is the committed one (or was just read again)
        wallet_keep_dossier_documents(actor=event.actor or "wallet", dossier=event.dossier)
        return
    fresh = Dossier.objects.filter(pk=event.dossier.pk).select_related("owner").first()
    if fresh is not None:
        wallet_keep_dossier_documents(actor=event.actor or "wallet", dossier=fresh)


@registry.on("result.issued")
def keep_issued_result(event: LifecycleEvent) -> None:
    """An issued electronic result goes to the wallet in the issuing transaction."""
    wallet_keep_result(actor=event.actor or "wallet", result=event.data["result"])
