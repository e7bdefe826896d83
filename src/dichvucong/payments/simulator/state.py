"""In-memory state of the payment simulator: transactions, their callbacks and deliveries. Thread-safe."""

import datetime
import json
import logging
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field

from dichvucong.payments import wire

logger = logging.getLogger(__name__)

VN_TZ = datetime.timezone(datetime.timedelta(hours=7))

# What the simulator does with the callback once the payer has chosen: the test controls of the redirect page.
CALLBACK_MODES = ("normal", "none", "duplicate", "late", "forged", "amount_mismatch", "currency_mismatch")


def now_vn() -> datetime.datetime:
    return datetime.datetime.now(tz=VN_TZ).replace(microsecond=0)


@dataclass
class Transaction:
    transaction_id: str
    merchant_code: str
    order_id: str
    beneficiary_code: str
    amount: int
    currency: str
    description: str
    return_url: str
    callback_url: str
    status: str = wire.GW_PENDING
    created_at: str = ""
    paid_at: str | None = None
    callback_mode: str = "normal"
    settlement_amount: int | None = None
    exclude_from_settlement: bool = False
    last_callback: dict | None = None
    deliveries: list = field(default_factory=list)

    def public_fields(self) -> dict:
        return {
            "merchant_code": self.merchant_code,
            "transaction_id": self.transaction_id,
            "order_id": self.order_id,
            "beneficiary_code": self.beneficiary_code,
            "amount": self.amount,
            "currency": self.currency,
            "status": self.status,
            "paid_at": self.paid_at,
        }


class SimulatorState:
    def __init__(self, *, merchants: dict[str, str], late_delay: float = 5.0) -> None:
        self.merchants = dict(merchants)
        self.late_delay = late_delay
        self.transactions: dict[str, Transaction] = {}
        self._lock = threading.RLock()

    # --- transactions ----------------------------------------------------------------------------------------
    def create(self, fields: dict) -> tuple[Transaction, bool]:
        """A new transaction, or the pending one already created for the same merchant order (idempotent)."""
        with self._lock:
            for txn in self.transactions.values():
                if (txn.merchant_code, txn.order_id) == (fields["merchant_code"], fields["order_id"]):
                    if txn.amount != fields["amount"] or txn.status != wire.GW_PENDING:
                        raise ValueError("order_conflict")
                    return txn, False
            txn = Transaction(
                transaction_id="NPP" + uuid.uuid4().hex[:17].upper(),
                merchant_code=fields["merchant_code"],
                order_id=fields["order_id"],
                beneficiary_code=fields.get("beneficiary_code") or "",
                amount=fields["amount"],
                currency=fields["currency"],
                description=fields.get("description") or "",
                return_url=fields.get("return_url") or "",
                callback_url=fields["callback_url"],
                created_at=now_vn().isoformat(),
            )
            self.transactions[txn.transaction_id] = txn
            return txn, True

    def get(self, transaction_id: str) -> Transaction | None:
        with self._lock:
            return self.transactions.get(transaction_id)

    def resolve(self, txn: Transaction, *, result: str, mode: str) -> None:
        """The payer chose success / failure / cancel on the redirect page."""
        with self._lock:
            if txn.status != wire.GW_PENDING:
                raise ValueError("not_pending")
            txn.status = result
            txn.callback_mode = mode
            if result == wire.GW_SUCCESS:
                txn.paid_at = now_vn().isoformat()
            txn.last_callback = self._callback_fields(txn)
        self._dispatch(txn, mode)

    def adjust(self, txn: Transaction, changes: dict) -> None:
        """Test control: change what the settlement file, a later status query or callback says about a transaction."""
        with self._lock:
            if "settlement_amount" in changes:
                txn.settlement_amount = (
                    None if changes["settlement_amount"] is None else int(changes["settlement_amount"])
                )
            if "exclude_from_settlement" in changes:
                txn.exclude_from_settlement = bool(changes["exclude_from_settlement"])
            if changes.get("status") in (wire.GW_SUCCESS, wire.GW_FAILED, wire.GW_CANCELLED):
                # The platform changes its mind (e.g. a success reported after a cancel): the next callback sent
                # with `new_event` carries the new status.
                txn.status = changes["status"]
                if txn.status == wire.GW_SUCCESS and not txn.paid_at:
                    txn.paid_at = now_vn().isoformat()
            if changes.get("paid_at"):
                txn.paid_at = datetime.datetime.fromisoformat(changes["paid_at"]).isoformat()
                if txn.last_callback:
                    txn.last_callback["paid_at"] = txn.paid_at

    def settlement_rows(self, *, merchant_code: str, day: datetime.date) -> list[dict]:
        """Successful transactions of the merchant paid on `day` (Vietnam time), as the settlement file lists them."""
        rows = []
        with self._lock:
            for txn in sorted(self.transactions.values(), key=lambda t: (t.paid_at or "", t.transaction_id)):
                if txn.merchant_code != merchant_code or txn.status != wire.GW_SUCCESS or txn.exclude_from_settlement:
                    continue
                paid_at = datetime.datetime.fromisoformat(txn.paid_at).astimezone(VN_TZ)
                if paid_at.date() != day:
                    continue
                amount = txn.amount if txn.settlement_amount is None else txn.settlement_amount
                rows.append(
                    {
                        "transaction_id": txn.transaction_id,
                        "order_id": txn.order_id,
                        "beneficiary_code": txn.beneficiary_code,
                        "amount": amount,
                        "currency": txn.currency,
                        "paid_at": txn.paid_at,
                    }
                )
        return rows

    def snapshot(self, txn: Transaction) -> dict:
        with self._lock:
            return json.loads(json.dumps(asdict(txn)))

    # --- callbacks -------------------------------------------------------------------------------------------
    def _callback_fields(self, txn: Transaction) -> dict:
        return {
            "event_id": uuid.uuid4().hex,
            "merchant_code": txn.merchant_code,
            "transaction_id": txn.transaction_id,
            "order_id": txn.order_id,
            "beneficiary_code": txn.beneficiary_code,
            "amount": txn.amount,
            "currency": txn.currency,
            "status": txn.status,
            "paid_at": txn.paid_at,
            "sent_at": None,
        }

    def _dispatch(self, txn: Transaction, mode: str) -> None:
        if mode == "none":
            return
        if mode == "late":
            timer = threading.Timer(self.late_delay, self.deliver, args=(txn,), kwargs={"mode": "normal"})
            timer.daemon = True
            timer.start()
            return
        self.deliver(txn, mode=mode)
        if mode == "duplicate":
            self.deliver(txn, mode="normal")

    def deliver(self, txn: Transaction, *, mode: str = "normal", new_event: bool = False) -> int | str:
        """POST the signed callback to the merchant. The same event (same `event_id`) unless `new_event`."""
        with self._lock:
            if txn.last_callback is None or new_event:
                txn.last_callback = self._callback_fields(txn)
            body = dict(txn.last_callback)
            secret = self.merchants[txn.merchant_code]
        body["sent_at"] = now_vn().isoformat()
        if mode == "amount_mismatch":
            body["amount"] = int(body["amount"]) + 1000
        elif mode == "currency_mismatch":
            body["currency"] = "USD"
        signature = wire.sign_fields(body, "forged-" + secret if mode == "forged" else secret)
        outcome = _post_json(txn.callback_url, body, signature)
        with self._lock:
            txn.deliveries.append(
                {"at": body["sent_at"], "mode": mode, "event_id": body["event_id"], "response": outcome}
            )
        logger.info("callback %s for %s (%s): %s", body["event_id"], txn.transaction_id, mode, outcome)
        return outcome


def _post_json(url: str, body: dict, signature: str) -> int | str:
    if not url.startswith(("http://", "https://")):
        return "invalid callback url"
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", wire.SIGNATURE_HEADER: signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - scheme checked above
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError) as exc:
        return f"error: {exc}"
