"""Writes of the wallet: keeping submitted documents and issued results, and reusing them in a new dossier."""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dichvucong.audit.services import audit_record, audit_record_many
from dichvucong.catalog.models import RequiredDocument
from dichvucong.common.errors import ValidationFailed
from dichvucong.dossiers.models import Attachment, Dossier
from dichvucong.dossiers.uploads import dossier_max_bytes

from .models import WalletItem, WalletItemKind


def _keep(
    *,
    actor,
    owner,
    kind: str,
    title: str,
    file_name: str,
    original_name: str,
    content_type: str,
    size: int,
    sha256: str,
    dossier: Dossier | None,
    required_document_id=None,
) -> tuple[WalletItem, bool]:
    item, created = WalletItem.objects.get_or_create(
        owner=owner,
        sha256=sha256,
        defaults={
            "kind": kind,
            "title": title[:500],
            "file": file_name,
            "original_name": original_name[:255],
            "content_type": content_type,
            "size": size,
            "source_dossier": dossier,
            "source_code": (dossier.code or "") if dossier else "",
            "required_document_id": required_document_id,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="wallet_item.keep",
            obj=item,
            after={"kind": kind, "sha256": sha256, "dossier": item.source_code},
        )
    return item, created


def wallet_keep_dossier_documents(*, actor, dossier: Dossier) -> list[WalletItem]:
    """The files of a dossier go to its owner's wallet (once per file content).

    In bulk: one read of what the wallet has already, one INSERT of the new items, their audit rows under one lock of
    the chain head (`audit_record_many`). Should another writer keep one of the same files meanwhile (the unique
    owner + content constraint refuses the INSERT), the files are kept one by one instead."""
    if dossier.owner_id is None:
        return []
    cached = getattr(dossier, "_prefetched_objects_cache", {}).get("attachments")
    attachments = list(cached if cached is not None else dossier.attachments.select_related("required_document"))
    if not attachments:
        return []
    try:
        with transaction.atomic():
            return _keep_in_bulk(actor=actor, dossier=dossier, attachments=attachments)
    except IntegrityError:
        with transaction.atomic():
            return _keep_one_by_one(actor=actor, dossier=dossier, attachments=attachments)


def _item_values(dossier: Dossier, att: Attachment) -> dict:
    return {
        "kind": WalletItemKind.SUBMITTED_DOCUMENT,
        "title": att.required_document.name if att.required_document_id else att.original_name,
        "file_name": att.file.name,
        "original_name": att.original_name,
        "content_type": att.content_type,
        "size": att.size,
        "sha256": att.sha256,
        "required_document_id": att.required_document_id,
    }


def _keep_in_bulk(*, actor, dossier: Dossier, attachments: list[Attachment]) -> list[WalletItem]:
    have = set(
        WalletItem.objects.filter(owner_id=dossier.owner_id, sha256__in=[a.sha256 for a in attachments]).values_list(
            "sha256", flat=True
        )
    )
    items = []
    for att in attachments:
        if att.sha256 in have:
            continue
        have.add(att.sha256)
        values = _item_values(dossier, att)
        items.append(
            WalletItem(
                owner_id=dossier.owner_id,
                kind=values["kind"],
                title=values["title"][:500],
                file=values["file_name"],
                original_name=values["original_name"][:255],
                content_type=values["content_type"],
                size=values["size"],
                sha256=values["sha256"],
                source_dossier=dossier,
                source_code=dossier.code or "",
                required_document_id=values["required_document_id"],
            )
        )
    if not items:
        return []
    WalletItem.objects.bulk_create(items)
    audit_record_many(
        [
            {
                "actor": actor,
                "action": "wallet_item.keep",
                "obj": item,
                "after": {"kind": item.kind, "sha256": item.sha256, "dossier": item.source_code},
            }
            for item in items
        ]
    )
    return items


def _keep_one_by_one(*, actor, dossier: Dossier, attachments: list[Attachment]) -> list[WalletItem]:
    kept = []
    for att in attachments:
        item, created = _keep(actor=actor, owner=dossier.owner, dossier=dossier, **_item_values(dossier, att))
        if created:
            kept.append(item)
    return kept


@transaction.atomic
def wallet_keep_result(*, actor, result) -> WalletItem | None:
    """An issued electronic result goes to the wallet of the dossier's owner."""
    dossier = result.dossier
    if dossier.owner_id is None:
        return None
    item, _created = _keep(
        actor=actor,
        owner=dossier.owner,
        kind=WalletItemKind.RESULT,
        title=f"{result.title} – {result.number}",
        file_name=result.file.name,
        original_name=result.file_name,
        content_type="application/pdf",
        size=result.size,
        sha256=result.sha256,
        dossier=dossier,
    )
    return item


def _invalid(code: str, message: str):
    return ValidationFailed(message, code=code, fields={"attachments": [message]})


def _documents_of(entries, procedure_id: int) -> dict[int, RequiredDocument]:
    wanted = []
    for entry in entries:
        try:
            wanted.append(int(entry.get("document")))
        except (TypeError, ValueError):
            raise _invalid(
                "wallet_document_required", _("Cần chọn thành phần hồ sơ cho giấy tờ lấy từ kho dữ liệu.")
            ) from None
    documents = {d.pk: d for d in RequiredDocument.objects.filter(procedure_id=procedure_id, pk__in=wanted)}
    if len(documents) != len(set(wanted)):
        raise _invalid("unknown_required_document", _("Thành phần hồ sơ không thuộc thủ tục này."))
    return documents


def _items_of(actor, entries) -> dict[str, WalletItem]:
    keys = [str(entry.get("wallet_item") or "") for entry in entries]
    if len(set(keys)) != len(keys):
        raise _invalid("duplicate_wallet_item", _("Một giấy tờ trong kho dữ liệu được đính kèm hai lần."))
    from .selectors import wallet_items_for

    valid = []
    for key in keys:
        try:
            valid.append(uuid.UUID(key))
        except ValueError:
            raise _invalid("wallet_item_not_found", _("Không tìm thấy giấy tờ trong kho dữ liệu của bạn.")) from None
    items = {str(item.uuid): item for item in wallet_items_for(actor).filter(uuid__in=valid)}
    if len(items) != len(keys):
        raise _invalid("wallet_item_not_found", _("Không tìm thấy giấy tờ trong kho dữ liệu của bạn."))
    return items


def attach_wallet_items(*, actor, dossier: Dossier, entries: list[dict], supplement=None) -> list[Attachment]:
    """Attachment source of the dossiers submission: `{"wallet_item": uuid, "document": required_document_id}`.

    Only the actor's own items (someone else's: 400 `wallet_item_not_found`, nothing is created); the stored file
    is shared, not copied. An item already attached for the same document is not attached twice (draft saves).
    """
    items = _items_of(actor, entries)
    documents = _documents_of(entries, dossier.procedure_id)
    present = set(dossier.attachments.values_list("sha256", "required_document_id"))
    todo = [(items[str(e["wallet_item"])], int(e["document"])) for e in entries]
    todo = [(item, doc) for item, doc in todo if (item.sha256, doc) not in present]
    current = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
    if current + sum(item.size for item, _doc in todo) > dossier_max_bytes():
        limit = dossier_max_bytes() // (1024 * 1024)
        raise ValidationFailed(
            _("Tổng dung lượng tệp của hồ sơ vượt quá %(limit)s MB.") % {"limit": limit},
            code="dossier_too_large",
            fields={"attachments": ["…"]},
            status_code=413,
        )
    created = []
    for item, doc in todo:
        created.append(
            Attachment.objects.create(
                dossier=dossier,
                required_document=documents[doc],
                upload=None,
                file=item.file.name,
                original_name=item.original_name,
                size=item.size,
                content_type=item.content_type,
                sha256=item.sha256,
                supplement=supplement,
            )
        )
        audit_record(
            actor=actor, action="wallet_item.reuse", obj=item, after={"dossier": str(dossier.uuid), "document": doc}
        )
    return created
