import hashlib

from arvio.lib.tokens import hash_token, new_token


def test_it_makes_tokens_of_at_least_128_bits():
    token, _ = new_token()
    # token_urlsafe: 4 characters carry 3 bytes.
    assert len(token) * 6 >= 128


def test_it_returns_the_sha256_of_the_token():
    token, token_hash = new_token()
    assert token_hash == hashlib.sha256(token.encode()).hexdigest() == hash_token(token)
    assert token not in token_hash


def test_it_never_repeats_a_token():
    assert len({new_token()[0] for _ in range(1000)}) == 1000
