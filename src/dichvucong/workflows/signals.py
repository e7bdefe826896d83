"""Listeners to other contexts' announcements."""


def resume_after_payment(sender, *, dossier, action, from_status, to_status, actor=None, **kwargs):
    """The applicant paid (dossiers `pay`: payment_requested → processing): resume a run waiting for payment."""
    if from_status != "payment_requested" or to_status != "processing":
        return
    from .models import RunStatus
    from .processing import open_run, process_payment_received

    run = open_run(dossier)
    if run is not None and run.status == RunStatus.WAITING_PAYMENT:
        process_payment_received(actor=actor or "payments", dossier=dossier)
