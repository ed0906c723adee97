"""schemathesis hooks for ops/test-contract (loaded with SCHEMATHESIS_HOOKS=contract_hooks).

An Idempotency-Key names one request: the same key with another body is refused with 422
`idempotency-key-reused`, as the document says. The fuzzer draws keys from the pattern alone and
repeats short ones across different bodies, so every well-formed key it sends is made unique
here (still well-formed). Malformed keys are left alone: their 400 is part of the contract.
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
