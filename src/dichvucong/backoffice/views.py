from django.shortcuts import render

from dichvucong.accounts.selectors import user_roles_by_agency

from .permissions import staff_required


@staff_required
def home(request):
    return render(request, "backoffice/home.html", {"roles_by_agency": user_roles_by_agency(request.user)})
