"""A deliberately varied HTTP/1.1 server for the checks' HTTP client tests.

Each path answers with one way of framing (or breaking) a response, written byte by byte
on a raw socket, so the client is tested against exactly these bytes. Prints its port,
then serves until killed. Each connection is served on its own thread.
"""
import socket
import sys
import threading
import time

connections = 0
lock = threading.Lock()


def read_request(conn, buffer):
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(65536)
        if not data:
            return None, buffer
        buffer += data
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        data = conn.recv(65536)
        if not data:
            break
        rest += data
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


def respond(conn, request, number):
    line = request.split(b"\r\n", 1)[0].decode()
    path = line.split(" ")[1]
    if path == "/json":
        body = b'{"users": [{"id": 1, "name": "Ada", "email": "ada@example.com"}]}'
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        return True
    if path == "/chunked":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
        for part in [b"Hello, ", b"chunked ", b"world"]:
            conn.sendall(b"%x\r\n%s\r\n" % (len(part), part))
            time.sleep(0.01)
        conn.sendall(b"0\r\nX-Trailer: yes\r\n\r\n")
        return True
    if path == "/until-close":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until the end")
        return False
    if path == "/echo":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(request), request))
        return True
    if path == "/connection":
        body = str(number).encode()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        return True
    if path == "/no-content":
        conn.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
        return True
    if path == "/continue":
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
        return True
    if path == "/bad-status":
        conn.sendall(b"HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n")
        return False
    if path == "/bare-lf":
        conn.sendall(b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok")
        return False
    if path == "/short":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b")
        return False
    if path == "/hang":
        time.sleep(30)
        return False
    if path == "/drop":
        return False
    if path == "/close-after":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        return False
    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found")
    return True


def serve(conn):
    global connections
    with lock:
        connections += 1
        number = connections
    buffer = b""
    try:
        while True:
            request, buffer = read_request(conn, buffer)
            if request is None:
                return
            keep = respond(conn, request, number)
            if not keep or b"connection: close" in request.lower():
                return
    except OSError:
        pass
    finally:
        conn.close()


def main():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    print(server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
