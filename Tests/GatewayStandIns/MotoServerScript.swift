/// moto in server mode with request signing checked: `INITIAL_NO_AUTH_ACTION_COUNT` (set by
/// the Swift side before moto is imported) lets exactly the set-up calls below through
/// unsigned; everything after them must carry a valid SigV4 signature from a key moto
/// knows, and be allowed by that user's IAM policy. Creates the IAM user, its policy and
/// access key, verifies the SES sender identity (signed with the new key), then prints
/// `{"port", "access_key_id", "secret_access_key"}`.
let motoServerScript = #"""
import json, os, sys
import boto3
from moto.server import ThreadedMotoServer

sender = sys.argv[1]
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
endpoint = "http://127.0.0.1:%d" % port
region = "us-east-1"
bootstrap = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")

# The three unsigned calls INITIAL_NO_AUTH_ACTION_COUNT allows.
iam = boto3.client("iam", **bootstrap)
iam.create_user(UserName="tutti")
iam.put_user_policy(UserName="tutti", PolicyName="send", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["ses:*", "sns:*"], "Resource": "*"}],
}))
key = iam.create_access_key(UserName="tutti")["AccessKey"]

signed = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
boto3.client("ses", **signed).verify_email_identity(EmailAddress=sender)

print(json.dumps({"port": port, "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"], "region": region}), flush=True)
import threading
threading.Event().wait()
"""#
