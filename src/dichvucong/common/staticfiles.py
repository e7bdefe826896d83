"""Static files in production: hashed, compressed names from `collectstatic`'s manifest (WhiteNoise).

Django's manifest storage raises on a missing manifest entry, so a deployment that forgot `collectstatic` (or an
entry left out of it) turned EVERY page into a 500 (issue 12, item 5). Here a missing entry is logged as an error and
the file's plain name is used: pages still render (perhaps without their style), and the deploy check
(`common/checks.py`, `manage.py check --deploy`) names the missing manifest.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            logger.error("static file %s is not in the manifest: run `manage.py collectstatic`", name)
            return name
