#!/usr/bin/env bash
# Installs what `course` and its tests need that a fresh Debian machine lacks.
# Idempotent: packages already present are skipped, and apt is not touched at all
# when nothing is missing. Run as root (CI and this machine) or with sudo available.
set -euo pipefail

# Packages the course itself needs to build and run: cmark-gfm and SQLite for the engine,
# Go 1.19 and the Debian Go libraries that lessons and exercises use (GOPATH mode, no
# module downloads), gcc for cgo (go-sqlite3), less as the pager.
RUNTIME_PACKAGES=(
    libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev pkg-config less gcc
    golang-go golang-github-gin-gonic-gin-dev golang-github-labstack-echo-dev
    golang-github-golang-jwt-jwt-dev golang-github-gomodule-redigo-dev golang-google-grpc-dev
    golang-google-protobuf-dev golang-github-mattn-go-sqlite3-dev golang-github-lib-pq-dev
)
# Packages the test suite and benchmarks use (real peers, sandbox, load tools).
TEST_PACKAGES=(bubblewrap hyperfine cmark cmark-gfm tmux)

want=("${RUNTIME_PACKAGES[@]}")
if [[ "${1:-}" == "--tests" ]]; then
    want+=("${TEST_PACKAGES[@]}")
fi

missing=()
for pkg in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
        echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
        exit 2
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
