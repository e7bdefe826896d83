"""The public page where anyone checks a signed electronic result (kết quả điện tử) by uploading the PDF."""

from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View

from dichvucong.common.errors import DomainError
from dichvucong.common.throttling import page_throttle_wait

from .forms import VerifyForm
from .throttling import VerifyThrottle
from .verification import check_declared_size, max_upload_bytes, verify_upload


class VerifyPageView(View):
    template_name = "signing/verify.html"

    def get(self, request):
        return self._render(request, VerifyForm())

    def post(self, request):
        form = VerifyForm(request.POST, request.FILES)
        wait = page_throttle_wait(request, VerifyThrottle)  # the API's allowance: the page is no way around it
        if wait is not None:
            error = DomainError(
                _("Bạn đã kiểm tra quá nhiều tệp. Vui lòng thử lại sau %(seconds)s giây.") % {"seconds": wait},
                code="throttled",
                status_code=429,
            )
            return self._render(request, form, error=error, status=429)
        try:
            check_declared_size(request.META.get("CONTENT_LENGTH"))
            if not form.is_valid():
                return self._render(request, form, status=400)
            result = verify_upload(form.cleaned_data["file"])
        except DomainError as error:
            return self._render(request, form, error=error, status=error.status_code)
        return self._render(request, form, result=result)

    def _render(self, request, form, *, result=None, error=None, status=200):
        signers = []
        if result is not None:
            for signer in result.signers:
                signers.append(
                    {**signer.__dict__, "signed_at_dt": parse_datetime(signer.signed_at) if signer.signed_at else None}
                )
        context = {
            "form": form,
            "result": result,
            "signers": signers,
            "error": error,
            "max_mb": max_upload_bytes() // (1024 * 1024),
        }
        return render(request, self.template_name, context, status=status)
