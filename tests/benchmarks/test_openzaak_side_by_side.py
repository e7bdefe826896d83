"""benchmarks/openzaak_side_by_side.py (issue 19, side by side with Open Zaak 1.30): CI has no Open Zaak, so only
that it imports, parses its arguments and makes the JWT Open Zaak checks (HS256, the shape of its own
performance_test's tokens)."""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import openzaak_side_by_side as oz  # noqa: E402


def test_help_parses():
    out = subprocess.run(
        [sys.executable, str(BENCH / "openzaak_side_by_side.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--openzaak-urls" in out.stdout


def test_one_openzaak_per_database():
    args = oz.parse_args(
        ["--database-urls", "postgres://x/a,postgres://x/b", "--openzaak-urls", "http://h:1,http://h:2"]
    )
    assert args.openzaak_list == ["http://h:1", "http://h:2"]
    assert args.case_list == oz.CASES
    with pytest.raises(SystemExit):
        oz.parse_args(["--database-urls", "postgres://x/a", "--openzaak-urls", "http://h:1,http://h:2"])
    with pytest.raises(SystemExit):
        oz.parse_args(["--database-urls", "postgres://x/a", "--openzaak-urls", "http://h:1", "--cases", "nope"])


def test_jwt_is_hs256_over_the_client_id():
    token = oz.jwt_hs256("district", "s3cret", now=1_700_000_000)
    header, payload, signature = token.split(".")

    def unb64(part: str) -> bytes:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

    assert json.loads(unb64(header)) == {"alg": "HS256", "typ": "JWT"}
    claims = json.loads(unb64(payload))
    assert claims["client_id"] == "district" and claims["iat"] == 1_700_000_000
    expected = hmac.new(b"s3cret", f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert unb64(signature) == expected
