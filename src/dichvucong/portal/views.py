from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dichvucong.accounts.models import UserKind
from dichvucong.agencies.models import Agency, Tier
from dichvucong.agencies.selectors import province_settings


@require_GET
def home(request):
    counts = {tier: Agency.objects.active_on(timezone.localdate()).filter(tier=tier).count() for tier in Tier.values}
    return render(request, "portal/home.html", {"agency_counts": counts, "province": province_settings()})


@login_required
def after_login(request):
    """Officers land on their work page, citizens and businesses on the portal."""
    if request.user.kind == UserKind.STAFF:
        return redirect("backoffice:home")
    return redirect("portal:home")
