#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, then `swift test`.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --tests
exec swift test "$@"
