"""A custom import-linter contract of this project (configured in pyproject.toml, `[tool.importlinter]`).

`domain_not_web`: the domain of every app (models, services, selectors, registries, hooks, tasks...) never imports
the web layer (docs/adr/0006-web-layer.md): any app's `views`, `api` and `urls`, the `portal` and `backoffice` apps,
or the project's URL configuration. Only the web modules themselves (`web_modules` of each app: views, api, urls,
templatetags, admin) may. The stock `forbidden` contract cannot say "every module of an app except its web
modules", and listing the domain modules by name would miss the next one added.
"""

from __future__ import annotations

from importlinter import Contract, ContractCheck, fields, output


class DomainNotWebContract(Contract):
    """Configuration:
    - `root`: the root package (e.g. `dichvucong`); its direct subpackages are the apps.
    - `web_modules`: the module names inside an app that are the web layer (`views`, `api`, `urls`...).
    - `web_apps`: the apps that are web as a whole (`portal`, `backoffice`).
    - `web_root_modules`: modules of the root package that are web (`urls`, `api_urls`).
    - `forbidden_web_modules`: which of `web_modules` the domain may not import (e.g. `views`, `api`, `urls`;
      `templatetags` and `admin` are loaded by Django, never imported by the domain either, but are not listed).
    """

    type_name = "domain_not_web"

    root = fields.StringField()
    web_modules = fields.ListField(subfield=fields.StringField())
    forbidden_web_modules = fields.ListField(subfield=fields.StringField())
    web_apps = fields.ListField(subfield=fields.StringField())
    web_root_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def _parts(self, module: str) -> list[str]:
        return module.split(".")[1:] if module.split(".")[0] == self.root else []

    def _is_web_source(self, module: str) -> bool:
        parts = self._parts(module)
        if not parts:
            return True  # outside the root package: not checked
        if len(parts) == 1:
            # a module of the root package itself (settings, urls, celery...) or an app's __init__
            return parts[0] in set(self.web_root_modules or ()) or parts[0] in set(self.web_apps)
        return parts[0] in set(self.web_apps) or parts[1] in set(self.web_modules)

    def _is_forbidden_target(self, module: str) -> bool:
        parts = self._parts(module)
        if not parts:
            return False
        if parts[0] in set(self.web_apps) or (len(parts) == 1 and parts[0] in set(self.web_root_modules or ())):
            return True
        return len(parts) >= 2 and parts[1] in set(self.forbidden_web_modules)

    def check(self, graph, verbose: bool) -> ContractCheck:
        violations = []
        for importer in sorted(graph.modules):
            if self._is_web_source(importer):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if not self._is_forbidden_target(imported):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = ", ".join(str(d["line_number"]) for d in details)
                violations.append((importer, imported, lines))
        output.verbose_print(verbose, f"{len(violations)} domain module(s) import the web layer.")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["violations"]:
            output.print_error(f"{importer} -> {imported} (l. {lines})", bold=False)
        output.new_line()
        output.print("Move what the domain needs out of the web module (ADR 0006), or register it in a registry.")
