"""A local OpenID Connect identity provider shaped like the national one (VNeID / the national portal's SSO).

A separate Django project (its own process, settings and SQLite database) built on django-oauth-toolkit's OIDC
support: authorization code flow with PKCE required, RS256 ID tokens, JWKS, userinfo, RP-initiated logout, and a
back-channel logout sent to the relying party when a resident signs out at the provider. See ../README.md.
"""
