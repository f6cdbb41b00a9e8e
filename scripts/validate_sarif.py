#!/usr/bin/env python3
"""Validates a SARIF 2.1.0 log against the official OASIS JSON schema (scripts/schemas/sarif-schema-2.1.0.json).

Usage: validate_sarif.py FILE   -- exit 0 when valid; 1 with the errors on stderr when not; 2 on usage errors.
Run it with .venv-validators/bin/python (scripts/validators.sh creates that venv with jsonschema).
"""
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "sarif-schema-2.1.0.json")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: validate_sarif.py FILE", file=sys.stderr)
        return 2
    try:
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        with open(argv[1], encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"{e}", file=sys.stderr)
        return 2
    try:
        document = json.loads(text)
    except ValueError as e:
        print(f"{argv[1]}: not JSON: {e}", file=sys.stderr)
        return 1
    # The schema declares draft-04; check formats (uri, date-time) too, as far as jsonschema can.
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        for error in errors:
            where = "/".join(str(p) for p in error.absolute_path) or "(document)"
            print(f"{argv[1]}: {where}: {error.message}", file=sys.stderr)
        return 1
    print(f"{argv[1]}: valid SARIF 2.1.0")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
