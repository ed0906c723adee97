"""Fixture rows for ops/test-contract, made through the API with the admin key.

Prints KEY=value lines (the ids schemathesis.toml puts into path parameters), so that the
fuzzer reaches the answers of real rows and not only 404s. Exits non-zero when any request
does not answer as it should: the fixtures are part of the contract too.
"""

import json
import os
import sys
import urllib.error
import urllib.request

API = os.environ["TUTTI_API_URL"]
ADMIN = os.environ["TUTTI_ADMIN_KEY"]


def call(method, path, body=None, expect=(200, 201, 202), content_type="application/json"):
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {ADMIN}")
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    if status not in expect:
        sys.exit(f"fixture {method} {path}: {status} {text[:500]!r}")
    return json.loads(text) if text else None


ann = call("POST", "/v1/customers", {
    "identities": [{"type": "email", "value": "ann@example.com"}],
    "attributes": {"first_name": "Ann", "country": "DE"},
})
call("POST", "/v1/customers", {"identities": [{"type": "external_id", "value": "bob-1"}]})
# One write naming both merges them: a merge to undo. The survivor is the customer it answers.
ann = call("POST", "/v1/customers", {"identities": [
    {"type": "email", "value": "ann@example.com"}, {"type": "external_id", "value": "bob-1"}]})
merges = call("GET", f"/v1/customers/{ann['id']}/merges")["data"]
if not merges:
    sys.exit("fixture: the merge of two customers left no merge record")
call("PUT", f"/v1/customers/{ann['id']}/consents/email", {"status": "opted_in", "source": "contract"})
call("POST", "/v1/track", {"userId": "ann-1", "event": "Order Completed", "properties": {"total": 80},
                           "messageId": "contract-1"})
segment = call("POST", "/v1/segments", {"name": "Germans", "rule": 'attributes.country = "DE"'})
call("POST", "/v1/segments", {"name": "Buyers", "rule": 'count("Order Completed", last 90 days) >= 1'})
channel = call("POST", "/v1/channels", {
    "type": "webhook", "name": "Contract hooks",
    # Nothing listens on port 9 (discard): a test send fails fast, and no message leaves.
    "config": {"url": "http://127.0.0.1:9/hook", "secret": "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3"},
})
message = call("POST", "/v1/messages", {
    "customer_id": ann["id"], "channel_id": channel["id"], "content": {"text": "Hello"}})
call("POST", "/v1/channels", {
    "type": "webhook", "name": "Spare hooks",
    "config": {"url": "http://127.0.0.1:9/spare", "secret": "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3"},
})
call("POST", "/v1/imports?source=contract",
     b'{"identities": [{"type": "email", "value": "dan@example.com"}]}\n', content_type="application/x-ndjson")
imported = call("POST", "/v1/imports?source=contract",
                b'{"identities": [{"type": "email", "value": "cat@example.com"}], "attributes": {"country": "DE"}}\n',
                content_type="application/x-ndjson")
key = call("POST", "/v1/api-keys", {"name": "contract-fixture", "role": "viewer"})


def cursor(path):
    """A next_cursor the server gave: a cursor is only valid when it came from the API."""
    page = call("GET", path + ("&" if "?" in path else "?") + "limit=1")
    if not page.get("next_cursor"):
        sys.exit(f"fixture: {path} has a single page; a cursor needs two rows")
    return page["next_cursor"]


cursors = {
    "TUTTI_CURSOR_CUSTOMERS": cursor("/v1/customers"),
    "TUTTI_CURSOR_API_KEYS": cursor("/v1/api-keys"),
    "TUTTI_CURSOR_SEGMENTS": cursor("/v1/segments"),
    "TUTTI_CURSOR_MEMBERS": cursor(f"/v1/segments/{segment['id']}/members"),
    "TUTTI_CURSOR_CHANNELS": cursor("/v1/channels"),
    "TUTTI_CURSOR_IMPORTS": cursor("/v1/imports"),
    "TUTTI_CURSOR_TIMELINE": cursor(f"/v1/customers/{ann['id']}/timeline"),
}
for name, value in cursors.items():
    print(f"{name}={value}")
for name, value in {
    "TUTTI_FIXTURE_CUSTOMER_ID": ann["id"],
    "TUTTI_FIXTURE_MERGE_ID": merges[0]["id"],
    "TUTTI_FIXTURE_SEGMENT_ID": segment["id"],
    "TUTTI_FIXTURE_CHANNEL_ID": channel["id"],
    "TUTTI_FIXTURE_MESSAGE_ID": message["id"],
    "TUTTI_FIXTURE_IMPORT_ID": imported["id"],
    "TUTTI_FIXTURE_API_KEY_ID": key["id"],
}.items():
    print(f"{name}={value}")
