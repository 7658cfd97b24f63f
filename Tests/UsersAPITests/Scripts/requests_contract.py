"""The users API contract as Python's requests sees it.

Usage: requests_contract.py BASE_URL JWT_SECRET
Raises (and so exits non-zero) at the first surprise. Tokens come from PyJWT when it is
installed, else from the standard library's hmac (the same HS256 bytes).
"""
import base64
import concurrent.futures
import hashlib
import hmac
import json
import sys
import time

import requests

base, secret = sys.argv[1], sys.argv[2]
session = requests.Session()


def check(response, status, what):
    assert response.status_code == status, f"{what}: expected {status}, got {response.status_code}: {response.text[:300]}"
    if status != 204:
        assert response.headers["Content-Type"].split(";")[0] == "application/json", f"{what}: {response.headers}"
    if 400 <= status < 500:
        assert isinstance(response.json().get("error"), str), f"{what}: {response.text[:300]}"
    return None if status == 204 else response.json()


def token(claims, key=secret, alg="HS256"):
    try:
        import jwt
        return jwt.encode(claims, key, algorithm=alg)
    except ImportError:
        segment = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        head = segment(json.dumps({"alg": alg, "typ": "JWT"}).encode())
        body = segment(json.dumps(claims).encode())
        mac = hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{segment(mac)}"


users = f"{base}/api/v1/users"
check(session.get(f"{base}/healthz"), 200, "healthz")
ada = check(session.post(users, json={"name": "Ada", "email": "ada@example.com"}), 201, "create")
check(session.post(users, json={"name": "Ada", "email": "ADA@EXAMPLE.COM"}), 409, "duplicate")
check(session.post(users, json={"name": "Ada"}), 400, "missing email")
check(session.post(users, json=["not", "an", "object"]), 400, "array body")
check(session.post(users, data=b"\xff\xfe garbage", headers={"Content-Type": "application/json"}), 400, "bytes")
check(session.post(users, data="plain text", headers={"Content-Type": "text/plain"}), 415, "text/plain")
check(session.post(users, data=b"x" * (10 * 1024 * 1024), headers={"Content-Type": "application/json"}), 413, "10 MB")

names = ["Zoë", "渡辺", "Ἀριστοτέλης", "🦊"]
for index, name in enumerate(names):
    made = check(session.post(users, json={"name": name, "email": f"u{index}@example.com"}), 201, name)
    assert made["name"] == name, made
    assert check(session.get(f"{users}/{made['id']}"), 200, "get")["name"] == name

with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
    created = list(pool.map(
        lambda i: requests.post(users, json={"name": f"P{i}", "email": f"p{i}@example.com"}), range(100)))
ids = [check(response, 201, "parallel create")["id"] for response in created]
assert len(set(ids)) == 100, "parallel creates must get distinct ids"

listed = [user["id"] for user in check(session.get(users), 200, "list")["users"]]
assert listed == sorted(listed) and len(listed) == 1 + len(names) + 100, listed

check(session.delete(f"{users}/{ada['id']}"), 204, "delete")
again = check(session.post(users, json={"name": "Ada", "email": "ada@example.com"}), 201, "recreate")
assert again["id"] > max(ids), f"ids must never be reused: {again}"

me = check(session.post(users, json={"name": "Me", "email": "me@example.com"}), 201, "me")
auth = lambda value: {"Authorization": value}
good = token({"sub": str(me["id"]), "exp": int(time.time()) + 600})
check(session.get(f"{base}/api/v1/profile"), 401, "no token")
check(session.get(f"{base}/api/v1/profile", headers=auth(good)), 401, "token without Bearer")
check(session.get(f"{base}/api/v1/profile", headers=auth(f"Bearer {good}")), 200, "good token")
check(session.get(f"{base}/api/v1/profile", headers=auth(
    "Bearer " + token({"sub": str(me["id"]), "exp": int(time.time()) - 5}))), 401, "expired")
check(session.get(f"{base}/api/v1/profile", headers=auth(
    "Bearer " + token({"sub": str(me["id"])}, key="not the secret, long enough for PyJWT"))), 401, "wrong key")
unsigned = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode() + "." + good.split(".")[1] + "."
check(session.get(f"{base}/api/v1/profile", headers=auth(f"Bearer {unsigned}")), 401, "alg none")
updated = check(session.put(f"{base}/api/v1/profile", json={"name": "Me 2", "email": "me2@example.com"},
                            headers=auth(f"Bearer {good}")), 200, "put profile")
assert updated == {"id": me["id"], "name": "Me 2", "email": "me2@example.com"}, updated
print("requests: all good")
