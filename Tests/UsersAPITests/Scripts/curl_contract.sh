#!/bin/sh
# The users API contract as curl sees it. Usage: curl_contract.sh BASE_URL
# Exits non-zero at the first surprise, printing what was sent and received.
set -eu
base="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# expect STATUS METHOD PATH [curl args...]: the status must match, and the body must be JSON
# ({"error":...} for 4xx) unless the status is 204.
expect() {
    want="$1" method="$2" path="$3"
    shift 3
    got="$(curl -sS -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -X "$method" "$@" "$base$path")"
    if [ "$got" != "$want" ]; then
        echo "FAIL: $method $path: expected $want, got $got: $(cat "$tmp/body")" >&2
        exit 1
    fi
    if [ "$want" != 204 ] && ! grep -qi '^content-type: application/json' "$tmp/headers"; then
        echo "FAIL: $method $path: not application/json: $(cat "$tmp/headers")" >&2
        exit 1
    fi
    case "$want" in
        4*) grep -q '"error"' "$tmp/body" || { echo "FAIL: $method $path: no error member: $(cat "$tmp/body")" >&2; exit 1; } ;;
    esac
}

expect 200 GET /healthz
expect 200 GET /api/v1/users
grep -q '^{"users":\[\]}$' "$tmp/body" || { echo "FAIL: empty list: $(cat "$tmp/body")" >&2; exit 1; }
expect 201 POST /api/v1/users -H 'Content-Type: application/json' --data-binary '{"name":"Curl","email":"curl@example.com"}'
grep -q '"id":1' "$tmp/body" || { echo "FAIL: first id: $(cat "$tmp/body")" >&2; exit 1; }
expect 409 POST /api/v1/users -H 'Content-Type: application/json' --data-binary '{"name":"Curl","email":"CURL@example.com"}'
expect 400 POST /api/v1/users -H 'Content-Type: application/json' --data-binary '{"name":"","email":"x@example.com"}'
expect 400 POST /api/v1/users -H 'Content-Type: application/json' --data-binary '{not json'
expect 415 POST /api/v1/users --data 'name=x&email=x@example.com'
expect 200 GET /api/v1/users/1
expect 400 GET /api/v1/users/one
expect 404 GET /api/v1/users/999
expect 200 PUT /api/v1/users/1 -H 'Content-Type: application/json' --data-binary '{"name":"Curl 2","email":"curl2@example.com"}'
grep -q '"name":"Curl 2"' "$tmp/body" || { echo "FAIL: PUT body: $(cat "$tmp/body")" >&2; exit 1; }
expect 204 DELETE /api/v1/users/1
expect 404 DELETE /api/v1/users/1
expect 201 POST /api/v1/users -H 'Content-Type: application/json' --data-binary '{"name":"Again","email":"again@example.com"}'
grep -q '"id":2' "$tmp/body" || { echo "FAIL: id after delete must be 2: $(cat "$tmp/body")" >&2; exit 1; }
expect 401 GET /api/v1/profile
expect 401 GET /api/v1/profile -H 'Authorization: Bearer abc.def.ghi'
head -c 10485760 /dev/zero > "$tmp/big"
expect 413 POST /api/v1/users -H 'Content-Type: application/json' --data-binary "@$tmp/big"
expect 405 PATCH /api/v1/users/2
echo "curl: all good"
