#!/usr/bin/env bash
# Installs what `course` and its tests need that a fresh Debian machine lacks.
# Idempotent: packages already present are skipped, and apt is not touched at all
# when nothing is missing. Run as root (CI and this machine) or with sudo available.
set -euo pipefail

# Packages the course itself needs to build and run: cmark-gfm and SQLite for the engine,
# Go 1.19 and the Debian Go libraries that lessons and exercises use (served to Go as an
# offline module proxy, below), golang.org/x/mod to make that proxy's zips, gcc for cgo
# (go-sqlite3), less as the pager; protoc and its Go plugins so a learner generates gRPC code
# offline (the user-rpc exercise). grpc-go 1.33 accepts github.com/golang/protobuf 1.3 or
# 1.5; only 1.5 unmarshals the messages today's protoc-gen-go makes (1.3 panics: "protobuf
# tag not enough fields"), so setup asks for 1.5, which replaces 1.3.
RUNTIME_PACKAGES=(
    libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev pkg-config less gcc
    golang-go golang-github-gin-gonic-gin-dev golang-github-labstack-echo-dev
    golang-github-golang-jwt-jwt-dev golang-github-gomodule-redigo-dev golang-google-grpc-dev
    golang-google-protobuf-dev golang-github-mattn-go-sqlite3-dev golang-github-lib-pq-dev
    golang-github-stretchr-testify-dev golang-golang-x-mod-dev
    protobuf-compiler protoc-gen-go protoc-gen-go-grpc golang-github-golang-protobuf-1-5-dev
)
# Packages the test suite and benchmarks use (real peers, sandbox, load tools; xmllint
# validates the JUnit and HTML reports, Python's csv and json modules read the CSV and
# Gradescope reports back, pip fetches the JUnit schema below, headless chromium lays out the
# HTML reports to check that nothing runs past its card; redis-server is the peer the reference cache is
# compared with byte for byte, redis-cli a real client of it).
TEST_PACKAGES=(bubblewrap hyperfine cmark cmark-gfm tmux libxml2-utils python3 python3-pip curl wrk chromium redis-server redis-tools)

# The published JUnit schema the report tests validate against: junit-10.xsd of the Jenkins
# xUnit plugin, as the PyPI package pytest ships it in its source distribution
# (testing/example_scripts/junit-10.xsd). Its wheel leaves the file out, so the sdist is
# fetched with pip and only that file is kept. Tests find it here (or at $COURSE_JUNIT_XSD).
JUNIT_XSD_PYTEST=8.3.5
JUNIT_XSD="/usr/local/share/course-test-data/pytest-$JUNIT_XSD_PYTEST/junit-10.xsd"

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

SUDO=""
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null; then SUDO="sudo"; fi

if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}" >&2
    if [[ $(id -u) -ne 0 && -z "$SUDO" ]]; then
        echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Python clients the users API tests drive the reference with: requests (a real client),
# PyJWT (cross-checks the HS256 tokens) and schemathesis (fuzzes the server against
# Exercises/users-api/openapi.yaml); redis-py, a real client of the reference cache; grpcio and
# grpcio-tools, a real gRPC client (and server) of user.proto, generated in the test. Installed
# only when one of them cannot be imported.
PYTHON_TEST_MODULES=(requests jwt schemathesis redis grpc grpc_tools)
PYTHON_TEST_PACKAGES=(requests PyJWT schemathesis redis grpcio grpcio-tools)
if [[ "${1:-}" == "--tests" ]] && ! python3 -c "import $(IFS=,; echo "${PYTHON_TEST_MODULES[*]}")" 2>/dev/null; then
    echo "setup: installing ${PYTHON_TEST_PACKAGES[*]} with pip" >&2
    # Debian's own python3 refuses pip installs (PEP 668) unless told; other Pythons ignore it.
    python3 -m pip install --quiet --break-system-packages "${PYTHON_TEST_PACKAGES[@]}" >&2 \
        || python3 -m pip install --quiet "${PYTHON_TEST_PACKAGES[@]}" >&2
fi

if [[ "${1:-}" == "--tests" && ! -f "$JUNIT_XSD" ]]; then
    echo "setup: installing junit-10.xsd from the pytest $JUNIT_XSD_PYTEST sdist" >&2
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    python3 -m pip download --quiet --no-deps --no-binary :all: -d "$tmp" "pytest==$JUNIT_XSD_PYTEST" >&2
    member="pytest-$JUNIT_XSD_PYTEST/testing/example_scripts/junit-10.xsd"
    tar -xzf "$tmp/pytest-$JUNIT_XSD_PYTEST.tar.gz" -C "$tmp" "$member"
    $SUDO install -D -m 0644 "$tmp/$member" "$JUNIT_XSD"
fi

# The standard library built for the race detector. Debian ships it compiled only without
# -race, so the first `go build -race` (a race stage, `go run -race .`) would compile all of
# it, about 30 s here, and the grader does that for every submission it builds in a fresh
# cache. Installed once into Go's own folder, it takes about 1 s.
goroot="$(go env GOROOT)"
if [[ ! -f "$goroot/pkg/linux_amd64_race/runtime.a" ]]; then
    if [[ $(id -u) -eq 0 || -n "$SUDO" ]]; then
        echo "setup: compiling Go's standard library for the race detector (once, about 30 s)" >&2
        $SUDO env GOFLAGS= GO111MODULE=off go install -race std >&2
    else
        echo "setup: without root, Go's race-detector library is not precompiled; race stages will build slowly" >&2
    fi
fi

# Go modules offline. No Go module proxy is reachable from here, so the Go source Debian
# installed (/usr/share/gocode) is turned into a local one (scripts/go-proxy/main.go says
# how) in .go-proxy/ of the course folder. It is rebuilt only when its inputs change: the
# builder, the Go version, or any golang-* package. The output is the same for the same
# packages, so learners' go.sum files stay valid across rebuilds.
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
proxy="$root/.go-proxy"
key="$({ cat "$root/scripts/go-proxy/main.go"; go version; dpkg-query -W -f='${Package} ${Version}\n' 'golang-*' 2>/dev/null | sort; } | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$proxy/INPUTS" 2>/dev/null)" != "$key" ]]; then
    echo "setup: building the offline Go module proxy in $proxy (from Debian's Go packages)" >&2
    staging="$proxy.new.$$"
    rm -rf "$staging"
    (cd "$root/scripts/go-proxy" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off \
        go run . -src /usr/share/gocode/src -out "$staging") >&2
    echo "$key" >"$staging/INPUTS"
    rm -rf "$proxy.old"
    if [[ -d "$proxy" ]]; then mv "$proxy" "$proxy.old"; fi
    mv "$staging" "$proxy"
    rm -rf "$proxy.old"
fi

# Go's own user configuration (`go env -w`, in $(go env GOENV)) points at that proxy, so
# `go get`, `go mod tidy`, `go run .` and an editor's Go support work offline in any
# folder. Go's checksum database is as unreachable as the proxy, so it is off; go.sum files
# are still written and checked. A GOPROXY the user chose is left alone, and said once.
want="file://$proxy"
goenv="$(go env GOENV)"
current="$(sed -n 's/^GOPROXY=//p' "$goenv" 2>/dev/null || true)"
if [[ "$current" != "$want" ]]; then
    if [[ -z "$current" || "$current" == file://*/.go-proxy ]]; then
        go env -w GOPROXY="$want" GOSUMDB=off
        echo "setup: Go now fetches modules from the course's offline proxy (go env -w GOPROXY=$want GOSUMDB=off," >&2
        echo "       written to $goenv); \`./course modules\` lists what it has. Undo: go env -u GOPROXY GOSUMDB" >&2
    elif [[ ! -f "$proxy/TOLD" ]]; then
        echo "setup: your Go configuration sets GOPROXY=$current, so Go will not use the course's offline" >&2
        echo "       module proxy. To use it: go env -w GOPROXY=$want GOSUMDB=off" >&2
        touch "$proxy/TOLD"
    fi
fi
if [[ -n "${GOPROXY:-}" && "${GOPROXY}" != "$want" && ! -f "$proxy/TOLD-ENV" ]]; then
    echo "setup: the GOPROXY environment variable ($GOPROXY) overrides Go's configuration in this shell;" >&2
    echo "       unset it to use the course's offline module proxy" >&2
    touch "$proxy/TOLD-ENV"
fi
