"""End-to-end test through the Python client generated from the served OpenAPI document.

ops/test-contract generates the client (`tutti_client`, on PYTHONPATH) into its work folder and
runs this against its server; a document the generator cannot read, or that describes answers
the server does not give, fails here. Prints one line per check and `N passed, N failed` last;
exits 1 when a check failed.
"""

import os
import sys
import traceback
import uuid

from tutti_client import AuthenticatedClient
from tutti_client.api.customers import get_customer, list_customers, write_customer
from tutti_client.api.ingestion import segment_track
from tutti_client.api.rules import validate_rule
from tutti_client.api.segments import count_segment, create_segment, list_customer_segments
from tutti_client.api.tenancy import create_api_key, get_tenant
from tutti_client.models import (
    APIKeyCreate, APIKeyCreated, AttributesWrite, Customer, CustomerCreate, IdentityInputEmail, IdentityInputEmailType,
    IngestAnswer, Role, RuleValidateText, Segment, SegmentCount, SegmentTrack, SegmentWrite,
    Tenant,
)

API = os.environ["TUTTI_API_URL"]
admin = AuthenticatedClient(base_url=API, token=os.environ["TUTTI_ADMIN_KEY"], raise_on_unexpected_status=True)
writer = AuthenticatedClient(base_url=API, token=os.environ["TUTTI_WRITE_KEY"], raise_on_unexpected_status=True)
RUN = uuid.uuid4().hex[:12]
results = {"passed": 0, "failed": 0}
state = {}


def check(name):
    def run(test):
        try:
            test()
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            results["failed"] += 1
            print(f"FAIL {name}")
            traceback.print_exc(file=sys.stdout)
        else:
            results["passed"] += 1
            print(f"ok   {name}")
        return test
    return run


@check("the tenant reads as the generated Tenant model")
def _():
    answer = get_tenant.sync_detailed(client=admin)
    assert answer.status_code == 200, answer.content
    assert isinstance(answer.parsed, Tenant), answer.parsed
    assert answer.parsed.name == "contract"
    assert answer.headers.get("x-request-id"), "every answer carries X-Request-Id"


@check("a customer written with an identity reads back, by id and by identity")
def _():
    email = f"e2e-{RUN}@example.com"
    attributes = AttributesWrite.from_dict({"first_name": "Erin", "country": "FR"})
    body = CustomerCreate(identities=[IdentityInputEmail(type_=IdentityInputEmailType.EMAIL, value=email)], attributes=attributes)
    created = write_customer.sync_detailed(client=admin, body=body)
    assert created.status_code == 201, created.content
    assert isinstance(created.parsed, Customer), created.parsed
    state["customer"] = created.parsed.id
    fetched = get_customer.sync_detailed(created.parsed.id, client=admin)
    assert isinstance(fetched.parsed, Customer) and fetched.parsed.id == created.parsed.id
    assert [(i.type_, i.value) for i in fetched.parsed.identities] == [("email", email)]
    assert fetched.parsed.attributes["first_name"] == "Erin"
    found = list_customers.sync_detailed(client=admin, identity=f"email:{email}")
    assert found.status_code == 200, found.content
    assert [c.id for c in found.parsed.data] == [created.parsed.id]


@check("an unknown customer is a 404 problem the client parses")
def _():
    answer = get_customer.sync_detailed(uuid.uuid4(), client=admin)
    assert answer.status_code == 404
    # The document lists each status's problem types: the client parses them as an enum.
    assert answer.parsed.type_ == "urn:tutti:problem:not-found", answer.parsed
    assert answer.parsed.status == 404 and answer.parsed.request_id
    assert answer.headers["content-type"].startswith("application/problem+json")


@check("a segment saved from a rule counts the customer and lists among their segments")
def _():
    body = SegmentWrite(name=f"French {RUN}", rule='attributes.country = "FR"')
    created = create_segment.sync_detailed(client=admin, body=body)
    assert created.status_code == 201, created.content
    assert isinstance(created.parsed, Segment) and created.parsed.version == 1
    counted = count_segment.sync_detailed(created.parsed.id, client=admin)
    assert isinstance(counted.parsed, SegmentCount), counted.content
    assert counted.parsed.count >= 1
    mine = list_customer_segments.sync_detailed(state["customer"], client=admin)
    assert mine.status_code == 200, mine.content
    assert created.parsed.id in [s.id for s in mine.parsed.data]


@check("a rule that does not check is a 422 problem with line and column")
def _():
    answer = validate_rule.sync_detailed(client=admin, body=RuleValidateText(rule="attributes.age >="))
    assert answer.status_code == 422, answer.content
    assert answer.parsed.type_ == "urn:tutti:problem:invalid-rule", answer.parsed
    error = answer.parsed.errors[0]
    assert (error.line, error.column) == (1, 18), (error.line, error.column)


@check("the write key sends a Segment track call")
def _():
    body = SegmentTrack.from_dict({"userId": f"user-{RUN}", "event": "Order Completed",
                                     "properties": {"total": 12.5}, "messageId": f"m-{RUN}"})
    answer = segment_track.sync_detailed(client=writer, body=body)
    assert answer.status_code == 200, answer.content
    assert isinstance(answer.parsed, IngestAnswer), answer.parsed


@check("a POST retried with its Idempotency-Key answers the first response again")
def _():
    body = APIKeyCreate(name=f"e2e {RUN}", role=Role.VIEWER)
    first = create_api_key.sync_detailed(client=admin, body=body, idempotency_key=f"e2e-{RUN}")
    again = create_api_key.sync_detailed(client=admin, body=body, idempotency_key=f"e2e-{RUN}")
    assert first.status_code == again.status_code == 201, (first.content, again.content)
    assert isinstance(first.parsed, APIKeyCreated) and isinstance(again.parsed, APIKeyCreated)
    assert again.parsed.id == first.parsed.id
    assert again.headers.get("idempotent-replayed") == "true"


print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
