"""Domain errors: a stable machine code plus a Vietnamese message for people.

Services raise these; the API turns them into `{"code", "detail", "fields"}` with the given HTTP status, and
HTML views show `detail` to the user.
"""

from typing import Any


class DomainError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        fields: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = str(detail)
        self.code = code or self.default_code
        self.fields = fields or {}
        if status_code is not None:
            self.status_code = status_code


class ValidationFailed(DomainError):
    status_code = 400
    default_code = "validation_error"


class PermissionDeniedError(DomainError):
    status_code = 403
    default_code = "permission_denied"


class NotFoundError(DomainError):
    status_code = 404
    default_code = "not_found"


class ConflictError(DomainError):
    status_code = 409
    default_code = "conflict"


def flatten_fields(data):
    """Error details (DRF or Django) as plain strings, keeping their dict/list shape."""
    if isinstance(data, dict):
        return {key: flatten_fields(value) for key, value in data.items()}
    if isinstance(data, list):
        return [flatten_fields(item) for item in data]
    return str(data)
