"""schemathesis hooks for ops/test-contract (loaded with SCHEMATHESIS_HOOKS=contract_hooks).

Two facts of the API that hold across requests, which a fuzzer drawing each request on its own
cannot know, and which the document states (each with its documented answer):

- An Idempotency-Key names one request: the same key with another body is refused with 422
  `idempotency-key-reused`. The fuzzer draws keys from the pattern alone and repeats short ones
  across different bodies, so every well-formed key it sends is made unique here (still
  well-formed). Malformed keys are left alone: their 400 is part of the contract.
- Erasure is final: an erased customer's identities may never be written again (422
  `identity-erased`). The stateful phase would erase the customers it just created and then
  write the same short identities again, so erasures go to ids that name nobody (the
  documented 404). Swift tests cover erasure itself.
"""

import re
import uuid

import schemathesis

WELL_FORMED = re.compile(r"[!-~]{1,255}")


@schemathesis.hook
def before_call(context, case, **kwargs):
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key":
            value = headers[name]
            if isinstance(value, str) and WELL_FORMED.fullmatch(value):
                headers[name] = f"{value[:200]}-{uuid.uuid4().hex}"
    if case.method.upper() == "DELETE" and case.operation.path == "/v1/customers/{id}":
        case.path_parameters = {**(case.path_parameters or {}), "id": str(uuid.uuid4())}
