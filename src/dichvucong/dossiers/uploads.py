"""Uploads: files sent before their dossier exists, checked by content, stored under random names.

Limits: `UPLOAD_MAX_BYTES` per file (default 10 MB), `DOSSIER_MAX_BYTES` per dossier (default 50 MB); an unused
upload expires after `UPLOAD_TTL_HOURS` (default 24) and `manage.py uploads_cleanup` removes it with its file.
Files go through Django's default storage (filesystem by default, S3 when `STORAGE_BACKEND=s3`).
"""

import datetime
import functools
import hashlib
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ValidationFailed

from .file_types import ALLOWED_EXTENSIONS, active_content_problem, extension_matches, sniff
from .models import Upload

logger = logging.getLogger(__name__)
MB = 1024 * 1024
#: The uploads stored while an `upload_scope` is open (one list per thread / async context).
_scope: ContextVar[list | None] = ContextVar("dossier_upload_scope", default=None)


def upload_max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * MB))


def dossier_max_bytes() -> int:
    return int(getattr(settings, "DOSSIER_MAX_BYTES", 50 * MB))


def upload_ttl() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "UPLOAD_TTL_HOURS", 24)))


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def check_upload_file(file) -> tuple:
    """Validate size, content type and extension of an uploaded file; return (kind, sha256)."""
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if file.size > upload_max_bytes():
        limit = upload_max_bytes() // MB or 1
        raise ValidationFailed(
            _("Tệp «%(name)s» vượt quá dung lượng cho phép (%(limit)s MB).") % {"name": name, "limit": limit},
            code="file_too_large",
            fields={"file": [_("Tối đa %(limit)s MB.") % {"limit": limit}]},
            status_code=413,
        )
    if file.size == 0:
        raise ValidationFailed(_("Tệp rỗng."), code="file_empty", fields={"file": [_("Tệp rỗng.")]})
    kind = sniff(file)
    if kind is None:
        raise ValidationFailed(
            _("Nội dung tệp «%(name)s» không thuộc loại được chấp nhận (PDF, JPEG, PNG, DOC, DOCX, XLS, XLSX).")
            % {"name": name},
            code="file_type_not_allowed",
            fields={"file": [_("Chỉ nhận %(types)s.") % {"types": ", ".join(ALLOWED_EXTENSIONS)}]},
        )
    if not extension_matches(name, kind):
        raise ValidationFailed(
            _("Tên tệp «%(name)s» không khớp với nội dung thực tế (%(kind)s).")
            % {"name": name, "kind": kind.key.upper()},
            code="file_type_mismatch",
            fields={"file": [_("Phần mở rộng không khớp với nội dung tệp.")]},
        )
    problem = active_content_problem(file, kind, file.size)
    if problem is not None:
        code, _what = problem
        message = {
            "file_active_content": _(
                "Tệp «%(name)s» chứa nội dung có thể thực thi (JavaScript, lệnh mở chương trình hoặc mã HTML): "
                "không được chấp nhận. Hãy in lại tệp ra PDF thông thường."
            ),
            "file_zip_bomb": _(
                "Tệp «%(name)s» khi giải nén vượt quá dung lượng cho phép (tệp nén bất thường): không được chấp nhận."
            ),
            "file_damaged": _("Tệp «%(name)s» bị hỏng, không đọc được."),
        }[code] % {"name": name}
        raise ValidationFailed(message, code=code, fields={"file": [message]})
    return kind, _sha256(file)


def check_declared_upload_size(content_length) -> None:
    """Refuse an upload request from its declared Content-Length, before the body is read (one file + multipart
    overhead); the per-file check after parsing stays."""
    try:
        declared = int(content_length or 0)
    except ValueError:
        declared = 0
    if declared > upload_max_bytes() + 64 * 1024:
        limit = upload_max_bytes() // MB or 1
        raise ValidationFailed(
            _("Tệp vượt quá dung lượng cho phép (%(limit)s MB).") % {"limit": limit},
            code="file_too_large",
            fields={"file": [_("Tối đa %(limit)s MB.") % {"limit": limit}]},
            status_code=413,
        )


def upload_create(*, actor, file) -> Upload:
    """Store an uploaded file for `actor` (its owner). The stored name is random; nothing is kept on failure."""
    kind, checksum = check_upload_file(file)
    original = (file.name or "tep").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    upload = Upload(
        owner=actor,
        original_name=original,
        size=file.size,
        content_type=kind.content_type,
        sha256=checksum,
        expires_at=timezone.now() + upload_ttl(),
    )
    upload.file.save(original, file, save=False)
    try:
        with transaction.atomic():
            upload.save()
            audit_record(
                actor=actor,
                action="upload.create",
                obj=upload,
                after={"name": original, "size": file.size, "sha256": checksum},
            )
    except Exception:
        default_storage.delete(upload.file.name)
        raise
    scope = _scope.get()
    if scope is not None:
        scope.append(upload)
    return upload


@contextmanager
def upload_scope(*, actor):
    """The uploads stored inside the block that no dossier took by its end are deleted, row and file.

    An HTML page stores the files of its form before it creates the dossier (or performs the action) they are for;
    when that fails (a refused second file, a missing mandatory document, any error), nothing of the request stays
    behind. (Through the API an upload is a request of its own, and the client may use it again.)"""
    stored: list[Upload] = []
    token = _scope.set(stored)
    try:
        yield stored
    finally:
        _scope.reset(token)
        if stored:
            upload_discard(actor=actor, uploads=stored)


def with_upload_scope(view):
    """View decorator: the request's uploads run in an `upload_scope` of the signed-in user."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with upload_scope(actor=request.user):
            return view(request, *args, **kwargs)

    return wrapped


def upload_discard(*, actor, uploads) -> int:
    """Delete those of `uploads` that are still unused (no attachment took them), with their files; one audit row
    each. Returns how many were removed."""
    removed = 0
    for upload in uploads:
        name = upload.file.name
        with transaction.atomic():
            deleted = Upload.objects.filter(pk=upload.pk, used=False).delete()[0]
            if deleted:
                audit_record(
                    actor=actor,
                    action="upload.discard",
                    obj=upload,
                    before={"name": upload.original_name, "size": upload.size, "sha256": upload.sha256},
                )
        if deleted:
            upload.file.storage.delete(name)
            removed += 1
    return removed


UPLOADS_PREFIX = "dossiers/uploads/"


def orphan_grace() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "UPLOAD_ORPHAN_GRACE_HOURS", 1)))


def _stored_files(storage, folder: str):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}{name}"
    for directory in directories:
        yield from _stored_files(storage, f"{folder}{directory}/")


def _referenced_files(prefix: str) -> set[str]:
    """Every file name under `prefix` that a row of any model names (uploads, attachments, wallet items…), found
    through the app registry so that this context needs no import of the contexts above it."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    model._base_manager.filter(**{f"{field.name}__startswith": prefix}).values_list(
                        field.name, flat=True
                    )
                )
    return names


def orphan_files_cleanup(*, now: datetime.datetime | None = None, storage=None) -> int:
    """Delete files under the uploads folder that no row names and that are older than `UPLOAD_ORPHAN_GRACE_HOURS`:
    what an upload interrupted by a crash (file written, row never committed) leaves behind. The grace period keeps
    the file of an upload in progress (written just before its row commits). Returns how many were removed."""
    storage = storage or default_storage
    now = now or timezone.now()
    try:
        stored = list(_stored_files(storage, UPLOADS_PREFIX))
    except (FileNotFoundError, NotADirectoryError):
        return 0
    referenced = _referenced_files(UPLOADS_PREFIX)
    removed = 0
    for name in stored:
        if name in referenced:
            continue
        try:
            if now - storage.get_modified_time(name) < orphan_grace():
                continue
            storage.delete(name)
        except OSError:
            continue
        logger.warning("orphan upload file %s removed", name)
        removed += 1
    return removed


def uploads_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Delete expired, unused uploads and their files. Returns how many were removed. (The task and the command
    then run `orphan_files_cleanup`.)"""
    now = now or timezone.now()
    removed = 0
    for upload in Upload.objects.filter(used=False, expires_at__lt=now).iterator():
        name = upload.file.name
        with transaction.atomic():
            deleted, _ = Upload.objects.filter(pk=upload.pk, used=False).delete()
        if deleted:
            try:
                upload.file.storage.delete(name)
            except OSError:  # already gone: the row was the only thing left to remove
                logger.warning("upload file %s missing during cleanup", name)
            removed += 1
    return removed
