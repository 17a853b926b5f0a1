"""A real SMTP server on loopback for Paperboy's mail tests: aiosmtpd, storing every message it
accepts as DIR/NNNNNN.eml with the envelope in X-Envelope-From / X-Envelope-To lines on top.

  python smtp_server.py --port P --dir DIR [--tls-cert C --tls-key K] [--auth USER:PASS]

With --tls-cert, STARTTLS is offered and required before MAIL (with --implicit-tls, TLS from the
first byte instead, as on port 465); with --auth, AUTH PLAIN and LOGIN
are required (aiosmtpd only offers AUTH after STARTTLS). Recipients whose local part starts with
"bounce" are refused with 550, those starting with "later" with 451, so tests can drive the
sender's bounce and retry paths. Prints "ready" when listening; stops on SIGTERM.
"""
import argparse
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        os.makedirs(directory, exist_ok=True)
        self.count = len([name for name in os.listdir(directory) if name.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("bounce"):
            return "550 5.1.1 <%s>: no such user here" % address
        if local.startswith("later"):
            return "451 4.3.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        head = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (envelope.mail_from, ", ".join(envelope.rcpt_tos))
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        temporary = os.path.join(self.directory, ".%06d.tmp" % number)
        with open(temporary, "wb") as out:
            out.write(head.encode("ascii") + data)
        os.rename(temporary, os.path.join(self.directory, "%06d.eml" % number))
        return "250 2.0.0 Ok: queued as %d" % number


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    args = parser.parse_args()

    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.implicit_tls:
            options.update(ssl_context=context)
        else:
            options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                  and auth_data.password == password.encode())
            # handled=False: the server answers 535 itself.
            return AuthResult(success=ok, handled=False)

        options.update(authenticator=authenticator, auth_required=True)
    controller = Controller(
        Store(args.dir), hostname="127.0.0.1", port=args.port, data_size_limit=10 * 1024 * 1024,
        decode_data=False, **options)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
