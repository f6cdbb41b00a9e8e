#!/usr/bin/env bash
# Builds a real kube-apiserver (Kubernetes 1.20.2) offline from Debian 12's `kubernetes` source package, for the
# Kubernetes tests (Sources/ShrikeTestSupport/KubeAPIServer.swift). Prints the binary's path on success.
#
# The binary (~150 MB) is cached OUTSIDE the repository, in $SHRIKE_KUBE_CACHE (default /var/cache/shrike-test), as
# kube-apiserver-1.20.2, and built only when missing: a second run prints the path at once. Set
# SHRIKE_KUBE_APISERVER to an existing binary to use that one instead (nothing is built then).
# A cold build takes about 10 minutes on 2 cores; it runs under `nice -n 10` and logs to
# $SHRIKE_KUBE_CACHE/kube-apiserver-1.20.2.log, not to the terminal.
#
# The recipe (docs/kubernetes.md, "Tests"): a private apt configuration with a deb-src line for bookworm main,
# `apt-get source --download-only kubernetes`, Debian's Go 1.19, Debian's reflect2 1.0.2 in place of the vendored copy
# (the vendored one does not build with Go 1.19), a GOPATH layout with GO111MODULE=off, and the OpenAPI definitions
# (pkg/generated/openapi/zz_generated.openapi.go, not in the source package) generated with the vendored openapi-gen.
#
# Needs root (Debian packages: golang-1.19-go, golang-github-modern-go-reflect2-dev, etcd-server) and Debian's archive
# (deb.debian.org or a mirror of it). On failure: one line on stderr saying why, and exit status 1.
set -euo pipefail

VERSION="1.20.2"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${SHRIKE_KUBE_CACHE:-/var/cache/shrike-test}"
bin="$cache/kube-apiserver-$VERSION"
log="$cache/kube-apiserver-$VERSION.log"

fail() { echo "kube-apiserver.sh: $*" >&2; exit 1; }

if [[ -n "${SHRIKE_KUBE_APISERVER:-}" ]]; then
    [[ -x "$SHRIKE_KUBE_APISERVER" ]] || fail "SHRIKE_KUBE_APISERVER=$SHRIKE_KUBE_APISERVER is not an executable file; unset it to build one"
    echo "$SHRIKE_KUBE_APISERVER"
    exit 0
fi

# etcd is needed next to the API server even when the binary is cached (a fresh machine with a restored cache).
ensure_packages() {
    "$root/scripts/apt-install.sh" golang-1.19-go golang-github-modern-go-reflect2-dev etcd-server >>"$log" 2>&1 \
        || fail "could not install golang-1.19-go, golang-github-modern-go-reflect2-dev and etcd-server (see $log)"
}

if [[ -x "$bin" ]]; then
    if [[ "$(id -u)" -eq 0 ]] && ! command -v etcd >/dev/null; then ensure_packages; fi
    echo "$bin"
    exit 0
fi

[[ "$(id -u)" -eq 0 ]] || fail "building kube-apiserver needs root (Debian packages, $cache); run: sudo $0"
mkdir -p "$cache" || fail "cannot create $cache; set SHRIKE_KUBE_CACHE to a writable directory"

# One build at a time: a second caller waits, then finds the binary.
exec 9>"$cache/.kube-apiserver-$VERSION.lock"
flock 9
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi

: >"$log"
echo "building kube-apiserver $VERSION from Debian's source package (about 10 minutes on 2 cores; log: $log)" >&2
ensure_packages

work="$cache/build-$VERSION"
rm -rf "$work"
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/src"
trap 'rm -rf "$work"' EXIT

# A private apt configuration: the machine's own sources are left alone, and only the source index is fetched.
cat >"$work/apt/sources.list" <<'EOF'
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
EOF
apt_private=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache" -o APT::Sandbox::User=root)
# apt-get update exits 0 when a fetch fails (it only warns), so the index itself is what shows it got through.
apt-get "${apt_private[@]}" update >>"$log" 2>&1 && compgen -G "$work/apt/lists/*_Sources*" >/dev/null \
    || fail "cannot reach Debian's archive (deb.debian.org bookworm main, sources index); see $log"
(cd "$work/src" && apt-get "${apt_private[@]}" source --download-only kubernetes >>"$log" 2>&1) \
    || fail "apt-get source --download-only kubernetes failed (see $log)"
orig=$(ls "$work"/src/kubernetes_*.orig.tar.gz 2>/dev/null | head -n 1)
[[ -n "$orig" ]] || fail "Debian's kubernetes source package has no .orig.tar.gz (see $log)"

# GOPATH layout: $GOPATH/src/k8s.io/kubernetes, built with GO111MODULE=off and the vendored dependencies.
gopath="$work/gopath"
kube="$gopath/src/k8s.io/kubernetes"
mkdir -p "$gopath/src/k8s.io"
tar xzf "$orig" -C "$gopath/src/k8s.io" >>"$log" 2>&1 || fail "cannot unpack $orig (see $log)"
[[ -d "$gopath/src/k8s.io/kubernetes-$VERSION" ]] \
    || fail "Debian's kubernetes source ($(basename "$orig")) is not $VERSION; update VERSION in $0"
mv "$gopath/src/k8s.io/kubernetes-$VERSION" "$kube"

# The vendored reflect2 (1.0.1) breaks on Go 1.18+ at run time and build time; Debian's 1.0.2 is a drop-in.
reflect2=/usr/share/gocode/src/github.com/modern-go/reflect2
[[ -d "$reflect2" ]] || fail "$reflect2 is missing (package golang-github-modern-go-reflect2-dev)"
rm -rf "$kube/vendor/github.com/modern-go/reflect2"
cp -r "$reflect2" "$kube/vendor/github.com/modern-go/reflect2"

export GOROOT=/usr/lib/go-1.19
export PATH="$GOROOT/bin:$PATH"
export GOPATH="$gopath"
export GO111MODULE=off
export GOFLAGS=""
export GOCACHE="$work/gocache"
export CGO_ENABLED=0
export GOTOOLCHAIN=local
[[ -x "$GOROOT/bin/go" ]] || fail "$GOROOT/bin/go is missing (package golang-1.19-go)"

cd "$kube"
{
    echo "== $(date -u +%FT%TZ) openapi-gen"
    nice -n 10 go build -o "$work/openapi-gen" k8s.io/kubernetes/vendor/k8s.io/kube-openapi/cmd/openapi-gen
} >>"$log" 2>&1 || fail "building the vendored openapi-gen failed (see $log)"

# The packages that ask for OpenAPI definitions, as build/root/Makefile.generated_files finds them (KUBE target):
# every Go directory outside vendor/ (staging/src named as vendor/), files with a `+k8s:openapi-gen=` tag, except
# code-generator's and sample-apiserver's.
inputs=$(find -H . \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune -o -type f -name '*.go' -print \
    | sed 's|^\./staging/src|vendor|; s|^\./||' \
    | xargs grep --color=never -l '^// *+k8s:' \
    | xargs grep --color=never -l '+k8s:openapi-gen=' \
    | grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' \
    | xargs -n1 dirname | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)
[[ -n "$inputs" ]] || fail "found no packages tagged +k8s:openapi-gen= in the source (see $log)"
{
    echo "== $(date -u +%FT%TZ) openapi-gen over $(echo "$inputs" | tr , '\n' | wc -l) packages"
    nice -n 10 "$work/openapi-gen" --logtostderr \
        -i "$inputs" \
        -p k8s.io/kubernetes/pkg/generated/openapi \
        -O zz_generated.openapi \
        -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
        -r "$work/violations.report"
} >>"$log" 2>&1 || fail "generating pkg/generated/openapi/zz_generated.openapi.go failed (see $log)"
[[ -f pkg/generated/openapi/zz_generated.openapi.go ]] \
    || fail "openapi-gen ran but wrote no pkg/generated/openapi/zz_generated.openapi.go (see $log)"

# The version the API server reports, set in both packages as hack/lib/version.sh does: component-base's for
# --version, client-go's for GET /version (kubectl's version skew check reads it).
minor=$(echo "$VERSION" | cut -d. -f2)
ldflags="-s -w"
for vpkg in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $vpkg.gitVersion=v$VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor"
    ldflags="$ldflags -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=1970-01-01T00:00:00Z"
done
{
    echo "== $(date -u +%FT%TZ) go build k8s.io/kubernetes/cmd/kube-apiserver"
    nice -n 10 go build -ldflags "$ldflags" -o "$bin.tmp" k8s.io/kubernetes/cmd/kube-apiserver
    echo "== $(date -u +%FT%TZ) done"
} >>"$log" 2>&1 || fail "go build k8s.io/kubernetes/cmd/kube-apiserver failed (see $log)"
"$bin.tmp" --version >>"$log" 2>&1 || fail "the built kube-apiserver does not run (see $log)"
grep -q "^Kubernetes v$VERSION\$" "$log" || fail "the built kube-apiserver does not say it is v$VERSION (see $log)"
mv "$bin.tmp" "$bin"
echo "$bin"
