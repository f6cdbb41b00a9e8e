#!/usr/bin/env python3
"""Independent checks of Shrike's supply-chain formats with the Python reference libraries.

  verify-envelope ENVELOPE.json PUBLIC.pem      securesystemslib verifies a DSSE envelope (ECDSA P-256, PAE) and
                                                in-toto-attestation validates the Statement v1 inside; prints
                                                "<predicateType> <subject sha256>"
  make-envelope OUTDIR NAME SHA256HEX TYPE      securesystemslib signs an in-toto Statement v1 built with
                                                in-toto-attestation; writes OUTDIR/envelope.json and OUTDIR/key.pub
  decrypt-key KEY.pem PASSWORD                  decrypts cosign's ENCRYPTED SIGSTORE PRIVATE KEY format with
                                                hashlib.scrypt + PyNaCl's SecretBox (go-securesystemslib's
                                                algorithm); prints the public key's SPKI DER as hex

Run by Tests/ShrikeSupplyChainTests/AttestationInteropTests.swift from .venv-validators (scripts/validators.sh).
"""
import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from google.protobuf import json_format
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.resource_descriptor import ResourceDescriptor
from in_toto_attestation.v1.statement import Statement
from securesystemslib import dsse
from securesystemslib.signer import CryptoSigner, SSlibKey

PAYLOAD_TYPE = "application/vnd.in-toto+json"


def verify_envelope(envelope_path, public_path):
    with open(envelope_path) as f:
        data = json.load(f)
    with open(public_path, "rb") as f:
        public = serialization.load_pem_public_key(f.read())
    keyid = data["signatures"][0]["keyid"]
    key = SSlibKey.from_crypto(public, keyid=keyid, scheme="ecdsa-sha2-nistp256")
    envelope = dsse.Envelope.from_dict(data)
    if envelope.payload_type != PAYLOAD_TYPE:
        raise SystemExit(f"payloadType is {envelope.payload_type}")
    envelope.verify([key], 1)
    proto = json_format.Parse(envelope.payload, statement_pb2.Statement())
    statement = Statement.copy_from_pb(proto)
    statement.validate()
    print(statement.pb.predicate_type, statement.pb.subject[0].digest["sha256"])


def make_envelope(outdir, name, digest, predicate_type):
    signer = CryptoSigner.generate_ecdsa()
    subject = ResourceDescriptor(name=name, digest={"sha256": digest}).pb
    statement = Statement([subject], predicate_type, {"builder": {"id": "https://example.com/python-builder"}})
    statement.validate()
    payload = json_format.MessageToJson(statement.pb, preserving_proto_field_name=False).encode()
    envelope = dsse.Envelope(payload=payload, payload_type=PAYLOAD_TYPE, signatures={})
    envelope.sign(signer)
    with open(os.path.join(outdir, "envelope.json"), "w") as f:
        json.dump(envelope.to_dict(), f)
    # securesystemslib keeps ECDSA public keys as SubjectPublicKeyInfo PEM in keyval["public"].
    with open(os.path.join(outdir, "key.pub"), "w") as f:
        f.write(signer.public_key.keyval["public"])


def decrypt_key(key_path, password):
    import nacl.secret
    with open(key_path) as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("-----")]
    document = json.loads(base64.b64decode("".join(lines)))
    assert document["kdf"]["name"] == "scrypt" and document["cipher"]["name"] == "nacl/secretbox"
    params = document["kdf"]["params"]
    key = hashlib.scrypt(password.encode(), salt=base64.b64decode(document["kdf"]["salt"]),
                         n=params["N"], r=params["r"], p=params["p"], maxmem=256 * 1024 * 1024, dklen=32)
    box = nacl.secret.SecretBox(key)
    der = box.decrypt(base64.b64decode(document["ciphertext"]), base64.b64decode(document["cipher"]["nonce"]))
    private = serialization.load_der_private_key(der, password=None)
    print(private.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).hex())


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"verify-envelope": verify_envelope, "make-envelope": make_envelope, "decrypt-key": decrypt_key}[command](*args)
