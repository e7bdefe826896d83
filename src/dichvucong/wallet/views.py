"""The citizen's wallet page (`/kho-du-lieu/`): their kept documents and results, to download or reuse."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import WalletItemKind
from .selectors import wallet_items_for


@login_required
@require_GET
def wallet_page(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in WalletItemKind.values else None
    page = Paginator(wallet_items_for(request.user, kind=kind), 20).get_page(request.GET.get("page"))
    return render(request, "wallet/list.html", {"page": page, "kind": kind, "kinds": WalletItemKind.choices})
