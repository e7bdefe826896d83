"""The one pagination of every API list (docs/adr/0018-keyset-lists.md).

`{"count", "count_exact", "next", "previous", "results"}`:

- by default a keyset (cursor) page: `next` / `previous` carry an opaque signed `cursor` holding the ordering values
  of the last / first row; each page reads one index range from the cursor and stops, whatever its depth, and rows
  inserted meanwhile are neither skipped nor repeated. A forged or damaged cursor is 400 `invalid_cursor`;
- `?page=N` (asked explicitly), or a list that cannot be paged by key (not a queryset, no usable ordering): page
  numbers, `next` / `previous` then carry `page`;
- `count` is exact up to `common.pagination.COUNT_CAP` (`count_exact: true`), beyond it an estimate
  (`count_exact: false`, never below the cap).
- `?page_size=` (max 200) in both modes.
"""

from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from dichvucong.common.pagination import CappedPaginator, Keyset, capped_count, keyset_page


class StandardPagination(PageNumberPagination):
    """Keyset by default, page numbers on request; capped counts (see the module)."""

    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    django_paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.keyset_page = None
        page_size = self.get_page_size(request)
        keyset = None if self.page_query_param in request.query_params else Keyset.of(queryset)
        if keyset is None:
            self.cursor_mode = False
            return self._numbered(queryset, request, page_size)
        self.cursor_mode = True
        self.count, self.count_exact = capped_count(queryset)
        self.keyset_page = keyset_page(
            queryset, keyset, size=page_size, cursor=request.query_params.get(self.cursor_query_param)
        )
        return self.keyset_page.rows

    def _numbered(self, queryset, request, page_size):
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(self.invalid_page_message.format(page_number=page_number, message=str(exc))) from exc
        self.count, self.count_exact = paginator.count, paginator.count_exact
        return list(self.page)

    def _cursor_link(self, cursor):
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_next_link(self):
        if not self.cursor_mode:
            return super().get_next_link()
        page = self.keyset_page
        return self._cursor_link(page.next_cursor) if page.has_next else None

    def get_previous_link(self):
        if not self.cursor_mode:
            return super().get_previous_link()
        page = self.keyset_page
        return self._cursor_link(page.previous_cursor) if page.has_previous else None

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = "Chính xác đến 10.000; lớn hơn: ước lượng (count_exact=false)"
        response["properties"]["count_exact"] = {"type": "boolean", "example": True}
        for link in ("next", "previous"):
            response["properties"][link]["example"] = "http://api.example.org/accounts/?cursor=eyJvIjoiLWNy..."
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Con trỏ trang (giá trị trong next/previous); mặc định khi không có page",
                "schema": {"type": "string"},
            }
        )
        return parameters
