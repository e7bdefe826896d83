from django.apps import AppConfig


class WalletConfig(AppConfig):
    name = "dichvucong.wallet"
    label = "wallet"

    def ready(self):
        from dichvucong.dossiers.signals import dossier_status_changed
        from dichvucong.dossiers.submission import register_attachment_source
        from dichvucong.results.signals import result_issued

        from .receivers import keep_issued_result, keep_submitted_documents
        from .services import attach_wallet_items

        register_attachment_source("wallet_item", attach_wallet_items)
        dossier_status_changed.connect(keep_submitted_documents, dispatch_uid="wallet.keep_submitted_documents")
        result_issued.connect(keep_issued_result, dispatch_uid="wallet.keep_issued_result")
