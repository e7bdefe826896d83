"""Idempotent demo data of the wallet, called by dichvucong.demo.loader.load_demo (after the demo dossiers).

The demo citizens' submitted documents are kept in their wallets (in production this happens after each
submission's commit; the demo loader runs in one transaction, so it is done here explicitly).
"""

from dichvucong.dossiers.models import Dossier

from .services import wallet_keep_dossier_documents

DEMO_ACTOR = "demo-loader"


def load_demo(agencies: dict) -> None:
    dossiers = Dossier.objects.submitted().filter(owner__username__in=("citizen", "citizen2")).select_related("owner")
    for dossier in dossiers:
        wallet_keep_dossier_documents(actor=DEMO_ACTOR, dossier=dossier)
