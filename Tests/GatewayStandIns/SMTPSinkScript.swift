/// An `aiosmtpd` server on 127.0.0.1 that accepts mail and reports each message as a JSON
/// line, parsed with Python's `email` package (policy `default`: decoded headers and parts)
/// and with the raw header lines as they came over the wire. Argument: a JSON object with
/// optional `auth` (`{"user", "password"}`: AUTH required), `cert`/`key` (offer STARTTLS,
/// and with `require_starttls` insist on it). Recipients `reject-550@…` and `busy-452@…`
/// are refused with those codes.
let smtpSinkScript = #"""
import asyncio, email, email.policy, json, ssl, sys
from aiosmtpd.smtp import SMTP, AuthResult

config = json.loads(sys.argv[1])
counter = 0


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local == "reject-550":
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local == "busy-452":
            return "452 4.2.2 Mailbox full, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        global counter
        counter += 1
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        wire = email.message_from_bytes(raw, policy=email.policy.compat32)
        parts = []
        for part in (parsed.walk() if parsed.is_multipart() else [parsed]):
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "content": part.get_content(),
            })
        print(json.dumps({
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content_type": parsed.get_content_type(),
            "headers": {k: str(v) for k, v in parsed.items()},
            "raw_headers": [[k, v] for k, v in wire.items()],
            "parts": parts,
            "defects": [str(d) for d in parsed.defects],
            "tls": session.ssl is not None,
            "auth_user": session.auth_data.login.decode() if session.auth_data and hasattr(session.auth_data, "login") else None,
            "raw": raw.decode("utf-8", "replace"),
        }), flush=True)
        return "250 2.0.0 Ok: queued as SINK%d" % counter


def authenticator(server, session, envelope, mechanism, auth_data):
    expected = config["auth"]
    ok = auth_data.login.decode() == expected["user"] and auth_data.password.decode() == expected["password"]
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


async def main():
    context = None
    if config.get("cert"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(config["cert"], config["key"])
    auth = config.get("auth")

    def factory():
        return SMTP(
            Handler(),
            hostname="sink.test",
            tls_context=context,
            require_starttls=bool(config.get("require_starttls")),
            authenticator=authenticator if auth else None,
            auth_required=bool(auth),
            auth_require_tls=bool(context),
            decode_data=False,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, "127.0.0.1", 0)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    await server.serve_forever()


asyncio.run(main())
"""#
