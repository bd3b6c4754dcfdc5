"""A small load generator: threads with keep-alive connections against 127.0.0.1 only,
bounded in clients, requests and seconds. Used by ``bench/run.py``."""

from __future__ import annotations

import http.client
import threading
import time


def requests_per_second(
    port: int,
    path: str,
    cookie: str = "",
    clients: int = 8,
    seconds: float = 4.0,
    max_requests: int = 20_000,
) -> float:
    """Completed 200 responses per second for ``path`` on 127.0.0.1:``port``."""
    done = [0] * clients
    errors = [0] * clients
    stop_at = time.perf_counter() + seconds
    budget = max_requests // clients

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        try:
            while time.perf_counter() < stop_at and done[i] < budget:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                # keep the session the server sends back, as a browser does (a page with a
                # form adds its CSRF token to the session the first time)
                session = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
                if session.startswith("session="):
                    headers = {"Cookie": session}
                if response.status == 200:
                    done[i] += 1
                else:
                    errors[i] += 1
                    if errors[i] > 20:
                        return
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if sum(errors) and not sum(done):
        raise RuntimeError(f"{path}: no 200 responses ({sum(errors)} errors)")
    return sum(done) / elapsed
