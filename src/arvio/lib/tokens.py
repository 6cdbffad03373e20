"""Random tokens for personal links, kept only as their SHA-256 hash."""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits, well above the 128 asked for


def new_token() -> tuple[str, str]:
    """Returns (token, hash): the token goes into the link, only the hash is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
