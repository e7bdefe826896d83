"""The local national identity provider (simulators/idp) in its own process, on a free port, for the session."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]


class RunningProvider:
    def __init__(self, process: subprocess.Popen, url: str) -> None:
        self.process, self.url = process, url

    def tamper_next_id_token(self, mode: str) -> None:
        response = requests.post(f"{self.url}/_control/tamper", json={"mode": mode}, timeout=10)
        response.raise_for_status()

    def reset(self) -> None:
        requests.post(f"{self.url}/_control/tamper", json={"mode": "reset"}, timeout=10).raise_for_status()

    def logout_token(self, login: str) -> str:
        response = requests.get(f"{self.url}/_control/logout-token", params={"login": login}, timeout=10)
        response.raise_for_status()
        return response.json()["logout_token"]

    def sign_out_at_provider(self, login: str, *, backchannel_uri: str) -> list[dict]:
        """The resident presses «Đăng xuất» at the provider: it sends the back-channel logout over HTTP."""
        response = requests.post(
            f"{self.url}/_control/backchannel-logout", json={"login": login, "uri": backchannel_uri}, timeout=20
        )
        response.raise_for_status()
        return response.json()["deliveries"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_provider(
    data_dir: Path, *, rp_base_url: str = "http://testserver", backchannel_uri: str = ""
) -> RunningProvider:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(  # noqa: S603 - our own simulator
        [
            sys.executable,
            str(REPO / "simulators" / "idp" / "serve.py"),
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
            "--rp-base-url",
            rp_base_url,
            "--backchannel-logout-uri",
            backchannel_uri,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []

    def read_first_line():
        lines.append(process.stdout.readline())

    reader = threading.Thread(target=read_first_line, daemon=True)
    reader.start()
    reader.join(timeout=60)
    if not lines or not lines[0].startswith("IDP_READY "):
        process.kill()
        raise RuntimeError(f"the identity provider did not start: {lines!r} {process.stdout.read()[:2000]}")
    return RunningProvider(process, lines[0].split()[1])


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    provider = start_provider(tmp_path_factory.mktemp("idp"))
    yield provider
    provider.stop()


def point_settings_at(settings, url: str) -> None:
    issuer = f"{url}/o"
    settings.OIDC_PROVIDER_URL = url
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_ISSUER = issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/.well-known/jwks.json"
    settings.OIDC_OP_END_SESSION_ENDPOINT = f"{issuer}/logout/"
    settings.OIDC_RP_CLIENT_ID = "dichvucong"
    settings.OIDC_RP_CLIENT_SECRET = "dev-only-oidc-secret"
    settings.OIDC_TRUSTED_LOGOUT_HOSTS = [url.split("://", 1)[1]]


@pytest.fixture
def oidc_settings(settings, identity_provider):
    point_settings_at(settings, identity_provider.url)
    yield settings
    identity_provider.reset()


# --- the population registry simulator (simulators/population_registry), its own process ------------------------


class RunningRegistry:
    def __init__(self, process: subprocess.Popen, url: str) -> None:
        self.process, self.url = process, url

    def next_answer(self, mode: str) -> None:
        requests.post(f"{self.url}/_control/next", json={"mode": mode}, timeout=10).raise_for_status()

    def lookups(self) -> list[dict]:
        return requests.get(f"{self.url}/_control/requests", timeout=10).json()["requests"]

    def reset(self) -> None:
        requests.post(f"{self.url}/_control/reset", timeout=10).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def population_registry():
    process = subprocess.Popen(  # noqa: S603 - our own simulator
        [sys.executable, str(REPO / "simulators" / "population_registry" / "server.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith("REGISTRY_READY "):
        process.kill()
        raise RuntimeError(f"the population registry did not start: {line!r}")
    registry = RunningRegistry(process, line.split()[1])
    yield registry
    registry.stop()


@pytest.fixture
def registry_settings(settings, population_registry):
    population_registry.reset()
    settings.POPULATION_REGISTRY_URL = population_registry.url
    settings.POPULATION_REGISTRY_API_KEY = "dev-only-registry-key"
    settings.POPULATION_REGISTRY_TIMEOUT = 2
    yield settings
    population_registry.reset()
