"""Writes of the guidance context: content pages (province admin only) and survey answers (anyone)."""

import re

from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role
from dichvucong.audit.services import audit_record
from dichvucong.catalog.models import Procedure
from dichvucong.common.errors import PermissionDeniedError, ValidationFailed
from dichvucong.common.search import fold_text

from .markdown import render_markdown
from .models import BODY_MAX_CHARS, COMMENT_MAX_CHARS, ContentKind, ContentPage, SurveyReason, SurveyResponse

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value, limit: int) -> str:
    return _CONTROL.sub("", str(value or "")).strip()[:limit]


def require_content_editor(actor) -> None:
    if actor == "demo-loader":
        return
    if not getattr(actor, "is_authenticated", False) or not user_has_role(actor, Role.PROVINCE_ADMIN):
        raise PermissionDeniedError(
            "Chỉ quản trị cấp tỉnh được biên tập hướng dẫn, hỏi đáp và tin tức.", code="content_editor_required"
        )


def _snapshot(page: ContentPage) -> dict:
    return {
        "kind": page.kind,
        "slug": page.slug,
        "title": page.title,
        "procedure_code": page.procedure_code,
        "published": page.published,
        "body_chars": len(page.body),
    }


@transaction.atomic
def content_save(
    *,
    actor,
    page: ContentPage | None = None,
    kind: str,
    slug: str,
    title: str,
    body: str = "",
    summary: str = "",
    procedure_code: str = "",
    published: bool = False,
    published_at=None,
) -> ContentPage:
    """Create (`page` None) or update a content page; the Markdown body is rendered and sanitised here."""
    require_content_editor(actor)
    errors = {}
    slug, title = _clean_text(slug, 120).lower(), _clean_text(title, 300)
    body, summary, procedure_code = (
        _clean_text(body, BODY_MAX_CHARS + 1),
        _clean_text(summary, 500),
        (_clean_text(procedure_code, 30)),
    )
    if kind not in ContentKind.values:
        errors["kind"] = "Loại phải là guide, faq hoặc news."
    if not _SLUG.match(slug):
        errors["slug"] = "Địa chỉ chỉ gồm chữ thường không dấu, số và dấu gạch ngang."
    elif ContentPage.objects.filter(slug=slug).exclude(pk=getattr(page, "pk", None)).exists():
        errors["slug"] = "Địa chỉ này đã được dùng."
    if not title:
        errors["title"] = "Bắt buộc nhập tiêu đề."
    if len(body) > BODY_MAX_CHARS:
        errors["body"] = f"Nội dung dài quá {BODY_MAX_CHARS} ký tự."
    if procedure_code and not Procedure.objects.filter(code=procedure_code).exists():
        errors["procedure_code"] = f"Không có thủ tục mã {procedure_code}."
    if kind == ContentKind.FAQ and not procedure_code:
        errors["procedure_code"] = "Câu hỏi thường gặp phải gắn với một thủ tục."
    if errors:
        raise ValidationFailed("Nội dung chưa hợp lệ.", code="invalid_content", fields=errors)
    before = _snapshot(page) if page else None
    page = page or ContentPage()
    page.kind, page.slug, page.title, page.summary = kind, slug, title, summary
    page.body, page.body_html, page.procedure_code = body, render_markdown(body), procedure_code
    page.published = bool(published)
    if page.published and not page.published_at:
        page.published_at = published_at or timezone.now()
    elif published_at:
        page.published_at = published_at
    page.search_text = fold_text(f"{title} {summary} {body}")
    page.save()
    audit_record(
        actor=actor, action="guidance_content.save", obj=page, object_id=page.slug, before=before, after=_snapshot(page)
    )
    return page


@transaction.atomic
def survey_submit(*, actor, reason: str, comment: str = "", procedure_code: str = "") -> SurveyResponse:
    """One anonymous answer; the comment is stored as plain text (pages escape it) and capped."""
    comment, procedure_code = _clean_text(comment, COMMENT_MAX_CHARS), _clean_text(procedure_code, 30)
    errors = {}
    if reason not in SurveyReason.values:
        errors["reason"] = "Hãy chọn một lý do trong danh sách."
    if procedure_code and not Procedure.objects.filter(code=procedure_code).exists():
        errors["procedure_code"] = f"Không có thủ tục mã {procedure_code}."
    if errors:
        raise ValidationFailed("Phiếu khảo sát chưa hợp lệ.", code="invalid_survey", fields=errors)
    response = SurveyResponse.objects.create(reason=reason, comment=comment, procedure_code=procedure_code)
    audit_record(
        actor=actor,
        action="guidance_survey.submit",
        obj=response,
        object_id=str(response.pk),
        object_repr=f"Khảo sát: {reason}",
        after={"reason": reason, "procedure_code": procedure_code},
    )
    return response
