"""A small OpenID Connect provider for the tests, on loopback: what Microsoft Entra ID, Keycloak
or Google are to the dashboard in production, reduced to the authorization-code flow that
Streamlit's ``st.login`` (Authlib) speaks.

* ``/.well-known/openid-configuration``: the discovery document;
* ``/authorize``: a sign-in form (an e-mail and a password, as a provider's page asks them);
  its POST checks the password of a known user and redirects to the app's callback with a
  one-time code and the app's ``state``;
* ``/token``: the code (once, with the client's secret and the same redirect URI) for an ID
  token signed RS256 (``iss``, ``aud``, ``exp``, the app's ``nonce``, ``email``, ``name``);
* ``/jwks``: the public key that checks that signature; ``/userinfo``: the claims.

Anything else is refused (a wrong password shows the form again with an error, a code used
twice or a wrong client secret is ``invalid_grant`` / ``invalid_client``), so a test that
signs in has gone through a real flow.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "tracker-dashboard"
CLIENT_SECRET = "a-client-secret-for-the-tests"


@dataclass
class User:
    email: str
    name: str
    password: str


@dataclass
class _Grant:
    user: User
    redirect_uri: str
    nonce: str | None
    used: bool = False


@dataclass
class Provider:
    """The provider's state: its users, its key, the codes it gave."""

    users: dict[str, User] = field(default_factory=dict)
    key: Any = None
    codes: dict[str, _Grant] = field(default_factory=dict)
    issuer: str = ""
    tokens_issued: int = 0

    def add_user(self, email: str, name: str, password: str) -> None:
        self.users[email.lower()] = User(email, name, password)


def _form(action: str, query: dict[str, str], error: str = "") -> bytes:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in query.items()
    )
    message = f'<p class="error">{html.escape(error)}</p>' if error else ""
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Fournisseur d'identité de test</title></head><body>
<h1>Connexion au fournisseur d'identité</h1>{message}
<form method="post" action="{html.escape(action)}">{hidden}
<label>Adresse e-mail <input name="email" id="email" type="email"></label>
<label>Mot de passe <input name="password" id="password" type="password"></label>
<button type="submit" id="submit">Se connecter</button></form></body></html>""".encode()


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet: the tests read no access log
            return

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, value: Any) -> None:
            self._send(status, json.dumps(value).encode())

        def _form_fields(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            return {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}

        def do_GET(self) -> None:  # noqa: N802 — http.server's name
            url = urllib.parse.urlsplit(self.path)
            query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                issuer = provider.issuer
                self._json(
                    200,
                    {
                        "issuer": issuer,
                        "authorization_endpoint": f"{issuer}/authorize",
                        "token_endpoint": f"{issuer}/token",
                        "jwks_uri": f"{issuer}/jwks",
                        "userinfo_endpoint": f"{issuer}/userinfo",
                        "response_types_supported": ["code"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "scopes_supported": ["openid", "email", "profile"],
                        "token_endpoint_auth_methods_supported": [
                            "client_secret_basic",
                            "client_secret_post",
                        ],
                        "claims_supported": ["sub", "email", "name"],
                    },
                )
            elif url.path == "/jwks":
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                    self._send(400, b"unknown client or response type", "text/plain")
                    return
                form = _form(f"{provider.issuer}/authorize", query)
                self._send(200, form, "text/html; charset=utf-8")
            elif url.path == "/userinfo":
                self._json(401, {"error": "invalid_token"})
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            fields = self._form_fields()
            if url.path == "/authorize":
                self._authorize(fields)
            elif url.path == "/token":
                self._token(fields)
            else:
                self._send(404, b"not found", "text/plain")

        def _authorize(self, fields: dict[str, str]) -> None:
            email, password = fields.pop("email", ""), fields.pop("password", "")
            user = provider.users.get(email.strip().lower())
            if user is None or not secrets.compare_digest(user.password, password):
                wrong = "Adresse ou mot de passe incorrect."
                form = _form(f"{provider.issuer}/authorize", fields, wrong)
                self._send(200, form, "text/html; charset=utf-8")
                return
            code = secrets.token_urlsafe(24)
            provider.codes[code] = _Grant(user, fields.get("redirect_uri", ""), fields.get("nonce"))
            target = fields.get("redirect_uri", "")
            params = {"code": code, "state": fields.get("state", "")}
            self.send_response(302)
            self.send_header("Location", f"{target}?{urllib.parse.urlencode(params)}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _client(self, fields: dict[str, str]) -> tuple[str, str]:
            header = self.headers.get("Authorization", "")
            if header.startswith("Basic "):
                decoded = base64.b64decode(header[6:]).decode()
                client, _, secret = decoded.partition(":")
                return urllib.parse.unquote(client), urllib.parse.unquote(secret)
            return fields.get("client_id", ""), fields.get("client_secret", "")

        def _token(self, fields: dict[str, str]) -> None:
            client, secret = self._client(fields)
            if client != CLIENT_ID or not secrets.compare_digest(secret, CLIENT_SECRET):
                self._json(401, {"error": "invalid_client"})
                return
            grant = provider.codes.get(fields.get("code", ""))
            if (
                grant is None
                or grant.used
                or fields.get("grant_type") != "authorization_code"
                or fields.get("redirect_uri") != grant.redirect_uri
            ):
                self._json(400, {"error": "invalid_grant"})
                return
            grant.used = True
            now = int(time.time())
            claims = {
                "iss": provider.issuer,
                "sub": grant.user.email.lower(),
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 600,
                "email": grant.user.email,
                "email_verified": True,
                "name": grant.user.name,
            }
            if grant.nonce:
                claims["nonce"] = grant.nonce
            header = {"alg": "RS256", "kid": provider.key.kid}
            id_token = jwt.encode(header, claims, provider.key)
            provider.tokens_issued += 1
            self._json(
                200,
                {
                    "access_token": secrets.token_urlsafe(24),
                    "token_type": "Bearer",
                    "expires_in": 600,
                    "id_token": id_token,
                    "scope": "openid email profile",
                },
            )

    return Handler


class RunningProvider:
    """The provider served on ``127.0.0.1`` (a free port) in a thread; ``stop()`` ends it."""

    def __init__(self) -> None:
        key = RSAKey.generate_key(2048, parameters={"kid": "test-key"}, private=True)
        self.state = Provider(key=key)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.state.issuer = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
