"""The owner's dossier page shows the rating (rate, see, edit within 7 days) and a link to file feedback."""

from dichvucong.dossiers.registry import registry

from .selectors import rating_of
from .services import RATEABLE, rating_editable


def rating_panel(request, dossier) -> dict | None:
    if dossier.status == "draft" or not dossier.code or dossier.owner_id != getattr(request.user, "pk", None):
        return None
    rating = rating_of(dossier) if dossier.status in RATEABLE else None
    return {
        "dossier": dossier,
        "finished": dossier.status in RATEABLE,
        "rating": rating,
        "editable": rating is None or rating_editable(rating),
    }


registry.panel("my_detail", template="feedback/_rating_panel.html", context=rating_panel, order=40)
