"""Byte-level conversions between PKCS#11 and X.509 forms."""

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature

from hsm.provision import _der_integer, unwrap_ec_point
from hsm.token_process import ecdsa_raw_to_der


def test_raw_ecdsa_signature_becomes_der_that_verifies():
    key = ec.generate_private_key(ec.SECP256R1())
    digest = b"\x11" * 32
    r, s = decode_dss_signature(key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256()))))
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    key.public_key().verify(ecdsa_raw_to_der(raw), digest, ec.ECDSA(Prehashed(hashes.SHA256())))


def test_ec_point_is_unwrapped_from_its_octet_string_and_left_alone_when_bare():
    point = b"\x04" + bytes(range(64))
    assert unwrap_ec_point(b"\x04\x41" + point) == point
    assert unwrap_ec_point(point) == point
    long_point = b"\x04" + bytes(200)
    assert unwrap_ec_point(b"\x04\x81\xc9" + long_point) == long_point


def test_der_integer_is_minimal_and_positive():
    assert _der_integer(0) == b"\x02\x01\x00"
    assert _der_integer(127) == b"\x02\x01\x7f"
    assert _der_integer(128) == b"\x02\x02\x00\x80"
    assert _der_integer(256) == b"\x02\x02\x01\x00"
    big = 1 << 2100  # 263 bytes: two length bytes
    encoded = _der_integer(big)
    assert encoded[:2] == b"\x02\x82" and int.from_bytes(encoded[4:], "big") == big
