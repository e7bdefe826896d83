"""`python simulators/idp/serve.py --port 8771`: the local national identity provider, in its own process.

Binds first (port 0 picks a free port, for tests), then configures the Django project `idp_sim` with the address it
got, migrates its own SQLite database, seeds the demo residents (simulators/residents.json; every password `demo`)
and the relying party's client, and serves. Prints `IDP_READY <base URL>` on stdout once it answers.
"""

import argparse
import contextlib
import os
import socketserver
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        if os.environ.get("IDP_ACCESS_LOG"):
            super().log_message(format, *args)


def signing_key(path: Path) -> str:
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        path.chmod(0o600)
    return path.read_text()


def seed(*, client_id: str, client_secret: str, redirect_uris: list[str], post_logout_uris: list[str], password: str):
    from django.contrib.auth import get_user_model
    from idp_sim import residents
    from oauth2_provider.models import get_application_model

    user_model = get_user_model()
    for login in [*residents.residents(), *residents.businesses()]:
        user, _ = user_model.objects.get_or_create(username=login)
        user.set_password(password)
        user.save()
    application_model = get_application_model()
    application = application_model.objects.filter(client_id=client_id).first() or application_model(
        client_id=client_id
    )
    application.name = "Cổng dịch vụ công tỉnh (bên sử dụng định danh)"
    application.client_secret = client_secret
    application.hash_client_secret = True
    application.client_type = application_model.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = application_model.GRANT_AUTHORIZATION_CODE
    application.algorithm = application_model.RS256_ALGORITHM
    application.redirect_uris = " ".join(redirect_uris)
    application.post_logout_redirect_uris = " ".join(post_logout_uris)
    application.skip_authorization = True
    application.save()


def main() -> None:
    parser = argparse.ArgumentParser(description="Local OpenID Connect identity provider (national SSO stand-in)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--data-dir", default=str(REPO / "var" / "idp"), help="SQLite database and signing key")
    parser.add_argument("--client-id", default="dichvucong")
    parser.add_argument("--client-secret", default="dev-only-oidc-secret")
    parser.add_argument("--rp-base-url", default="http://127.0.0.1:8000", help="the relying party (this project)")
    parser.add_argument("--redirect-uri", action="append", default=[], help="extra redirect URIs of the client")
    parser.add_argument("--post-logout-redirect-uri", action="append", default=[])
    parser.add_argument("--backchannel-logout-uri", default=None, help="default: <rp-base-url>/tai-khoan/vneid/...")
    parser.add_argument("--password", default="demo", help="password of every demo resident")
    args = parser.parse_args()

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = ThreadingWSGIServer((args.host, args.port), QuietHandler)
    base_url = f"http://{args.host}:{server.server_port}"
    rp = args.rp_base_url.rstrip("/")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="idp_sim.settings",
        IDP_DB=str(data_dir / "idp.sqlite3"),
        IDP_ISSUER=f"{base_url}/o",
        IDP_RSA_PRIVATE_KEY=signing_key(data_dir / "idp-signing-key.pem"),
        IDP_BACKCHANNEL_LOGOUT_URI=args.backchannel_logout_uri
        if args.backchannel_logout_uri is not None
        else f"{rp}/tai-khoan/vneid/dang-xuat-kenh-sau/",
    )
    sys.path.insert(0, str(HERE))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    seed(
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uris=[f"{rp}/tai-khoan/vneid/callback/", *args.redirect_uri],
        post_logout_uris=[f"{rp}/", *args.post_logout_redirect_uri],
        password=args.password,
    )
    from django.core.wsgi import get_wsgi_application

    server.set_app(get_wsgi_application())
    print(f"IDP_READY {base_url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
