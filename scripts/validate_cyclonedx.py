#!/usr/bin/env python3
"""Validates a CycloneDX 1.6 JSON document against the official schema (strict: no unknown keys).

Usage: validate_cyclonedx.py FILE   -- exit 0 when valid; 1 with the errors on stderr when not; 2 on usage errors.
Run it with .venv-validators/bin/python (scripts/validators.sh creates that venv).
"""
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: validate_cyclonedx.py FILE", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 2
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    try:
        errors = list(validator.validate_str(text, all_errors=True) or [])
    except ValueError as e:  # not JSON at all
        print(f"{argv[1]}: not JSON: {e}", file=sys.stderr)
        return 1
    if errors:
        for error in errors:
            detail = getattr(error, "data", None)
            if detail is not None and hasattr(detail, "message"):
                where = "/".join(str(p) for p in detail.absolute_path) or "(document)"
                print(f"{argv[1]}: {where}: {detail.message}", file=sys.stderr)
            else:
                print(f"{argv[1]}: {error}", file=sys.stderr)
        return 1
    print(f"{argv[1]}: valid CycloneDX 1.6")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
