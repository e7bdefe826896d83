"""ID token claims of the national identity provider, and the tampering controls used by the relying party's tests."""

import json
import time

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from . import control, residents


class NationalIdentityValidator(OAuth2Validator):
    # Every identity claim is in the ID token whatever the scopes (the national provider's behaviour).
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        claims = residents.claims_for(request.user.get_username())
        claims.pop("sub")
        return claims

    def get_claim_dict(self, request):
        claims = super().get_claim_dict(request)
        claims["sub"] = residents.subject(request.user.get_username())
        return claims

    def finalize_id_token(self, id_token, token, token_handler, request):
        mode = control.take()
        if mode is None:
            return super().finalize_id_token(id_token, token, token_handler, request)
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        # Rebuild the token the honest way, then break it as asked.
        claims = json.loads(jwt.JWT(jwt=serialized, key=request.client.jwk_key).claims)
        key = request.client.jwk_key
        now = int(time.time())
        if mode == "expired":
            claims.update(iat=now - 3600, exp=now - 1800, auth_time=now - 3600)
        elif mode == "wrong_audience":
            claims["aud"] = "another-relying-party"
        elif mode == "wrong_issuer":
            claims["iss"] = "http://impostor.invalid/o"
        elif mode == "wrong_nonce":
            claims["nonce"] = "not-the-nonce-you-sent"
        elif mode == "other_person":
            claims.update(residents.claims_for("033092005678"))
        elif mode == "other_person_same_subject":
            claims.update({k: v for k, v in residents.claims_for("033092005678").items() if k != "sub"})
        elif mode == "forged_signature":
            forger = jwk.JWK.generate(kty="RSA", size=2048)
            # Same key id as the real key: only the signature check can tell.
            header = {"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}
            forged = jwt.JWT(header=header, claims=claims)
            forged.make_signed_token(forger)
            return forged.serialize()
        header = {"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}
        token_out = jwt.JWT(header=header, claims=claims)
        token_out.make_signed_token(key)
        return token_out.serialize()
