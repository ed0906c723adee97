"""Load for `ops/citus rebalance`: each tenant's thread creates customers (POST /v1/customers)
and reads each back by identity (GET /v1/customers?identity=...) until STOPFILE exists, then
reads every customer it created once more (each tenant's thread its own). Prints one JSON line: requests by status class, the
non-2xx answers, and the customers created and found at the end.

    python3 citus_rebalance_load.py API_URL STOPFILE TENANT_ID=ADMIN_KEY ...
"""
import json, os, sys, threading, time, urllib.error, urllib.request

api, stopfile, pairs = sys.argv[1], sys.argv[2], [a.split("=", 1) for a in sys.argv[3:]]
lock = threading.Lock()
counts = {"2xx": 0, "4xx": 0, "5xx": 0, "other": 0}
failures = []
created = {}  # tenant -> [email]


def call(method, path, key, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(api + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    except Exception as e:  # connection refused, timeout
        status, text = 0, str(e).encode()
    cls = "2xx" if 200 <= status < 300 else "4xx" if 400 <= status < 500 else "5xx" if status >= 500 else "other"
    with lock:
        counts[cls] += 1
        if cls != "2xx" and len(failures) < 20:
            failures.append({"method": method, "path": path, "status": status, "body": text[:200].decode(errors="replace")})
    return status, text


def run(tenant, key):
    mine = created.setdefault(tenant, [])
    n = 0
    while not os.path.exists(stopfile):
        n += 1
        email = "u%d@%s.example" % (n, tenant[:8])
        status, _ = call("POST", "/v1/customers", key,
                         {"identities": [{"type": "email", "value": email}], "attributes": {"n": n}})
        if status == 201:
            mine.append(email)
        call("GET", "/v1/customers?identity=email:" + email, key)
    # Afterwards, every customer this tenant made, read back once more.
    for email in mine:
        status, text = call("GET", "/v1/customers?identity=email:" + email, key)
        if status != 200 or email not in text.decode(errors="replace"):
            with lock:
                lost.append(email)


lost = []
threads = [threading.Thread(target=run, args=(t, k)) for t, k in pairs]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"requests": counts, "failures": failures,
                  "created": sum(len(v) for v in created.values()), "missing_after": len(lost)}))
