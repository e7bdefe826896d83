"""Listeners to other contexts' announcements (connected in apps.WalletConfig.ready)."""

KEEP_ON_ACTIONS = ("submit", "receive", "supplement")


def keep_submitted_documents(sender, *, dossier, action, from_status, to_status, actor=None, **kwargs):
    """After a dossier is submitted (or supplemented), its files go to the owner's wallet (runs after commit)."""
    if action not in KEEP_ON_ACTIONS:
        return
    from dichvucong.dossiers.models import Dossier

    from .services import wallet_keep_dossier_documents

    fresh = Dossier.objects.filter(pk=dossier.pk).select_related("owner").first()
    if fresh is not None:
        wallet_keep_dossier_documents(actor=actor or "wallet", dossier=fresh)


def keep_issued_result(sender, *, result, actor=None, **kwargs):
    """An issued electronic result goes to the wallet in the issuing transaction."""
    from .services import wallet_keep_result

    wallet_keep_result(actor=actor or "wallet", result=result)
