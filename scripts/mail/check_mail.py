"""Reads the messages scripts/mail/smtp_server.py stored and checks them for scripts/mail-test.sh.

  check_mail.py count DIR [--each N] [--total N]     every recipient got N messages; N in all
  check_mail.py link DIR --to ADDR --path PATH       prints the first link to PATH in ADDR's mail
  check_mail.py digest DIR --to ADDR --base URL      checks a digest's headers and both parts;
                                                     prints its List-Unsubscribe URL
  check_mail.py html DIR --to ADDR --out FILE        writes the HTML part of ADDR's last mail
Exits 1 with a message naming the file and what is wrong.
"""
import argparse
import collections
import email
import email.policy
import glob
import os
import re
import sys


def messages(directory):
    for path in sorted(glob.glob(os.path.join(directory, "*.eml"))):
        with open(path, "rb") as handle:
            raw = handle.read()
        yield path, raw, email.message_from_bytes(raw, policy=email.policy.default)


def to_of(message):
    return message["X-Envelope-To"].strip().lower()


def fail(text):
    print("check_mail: FAIL: " + text, file=sys.stderr)
    sys.exit(1)


def last_to(directory, address):
    found = [(p, r, m) for p, r, m in messages(directory) if to_of(m) == address.lower()]
    if not found:
        fail("no message to %s in %s" % (address, directory))
    return found[-1]


def part(message, kind):
    for sub in message.walk():
        if sub.get_content_type() == kind:
            return sub.get_content()
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["count", "link", "digest", "html"])
    parser.add_argument("dir")
    parser.add_argument("--to")
    parser.add_argument("--path")
    parser.add_argument("--base")
    parser.add_argument("--out")
    parser.add_argument("--each", type=int)
    parser.add_argument("--total", type=int)
    args = parser.parse_args()

    if args.command == "count":
        counts = collections.Counter(to_of(m) for _, _, m in messages(args.dir))
        total = sum(counts.values())
        if args.total is not None and total != args.total:
            fail("%d messages in %s, expected %d" % (total, args.dir, args.total))
        if args.each is not None:
            wrong = {k: v for k, v in counts.items() if v != args.each}
            if wrong:
                fail("recipients with other than %d messages: %s" % (args.each, dict(list(wrong.items())[:10])))
        print("%d messages to %d recipients" % (total, len(counts)))
        return

    path, raw, message = last_to(args.dir, args.to)
    if args.command == "link":
        text = part(message, "text/plain") or ""
        match = re.search(r"https?://\S*" + re.escape(args.path) + r"\S*", text)
        if not match:
            fail("%s: no %s link in the text part" % (path, args.path))
        print(match.group(0))
        return
    if args.command == "html":
        html = part(message, "text/html")
        if html is None:
            fail("%s: no HTML part" % path)
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(html)
        return

    # A digest: RFC 5322 headers, MIME, one-click unsubscribe, both parts.
    for line in raw.split(b"\r\n"):
        if len(line) > 998:
            fail("%s: a line of %d bytes (RFC 5322 allows 998)" % (path, len(line)))
    if b"\n" in raw.replace(b"\r\n", b""):
        fail("%s: a bare LF" % path)
    for name in ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "List-Unsubscribe",
                 "List-Unsubscribe-Post"]:
        if message[name] is None:
            fail("%s: no %s header" % (path, name))
    if message["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click":
        fail("%s: List-Unsubscribe-Post is %r" % (path, message["List-Unsubscribe-Post"]))
    unsubscribe = re.match(r"<(https?://[^>]+)>", message["List-Unsubscribe"])
    if not unsubscribe or not unsubscribe.group(1).startswith(args.base + "/unsubscribe?token="):
        fail("%s: List-Unsubscribe is %r, not under %s" % (path, message["List-Unsubscribe"], args.base))
    if not re.match(r"<[^<>@\s]+@[^<>@\s]+>$", message["Message-ID"]):
        fail("%s: Message-ID %r" % (path, message["Message-ID"]))
    if message.get_content_type() != "multipart/alternative":
        fail("%s: content type %s" % (path, message.get_content_type()))
    text, html = part(message, "text/plain"), part(message, "text/html")
    if not text or not html:
        fail("%s: the text or the HTML part is missing" % path)
    if args.base + "/papers/" not in text or args.base + "/papers/" not in html:
        fail("%s: no paper links under %s" % (path, args.base))
    if "Unsubscribe" not in text or "Unsubscribe" not in html:
        fail("%s: no unsubscribe link in the body" % path)
    if "<script" in html.lower():
        fail("%s: a script in the HTML part" % path)
    print(unsubscribe.group(1))


if __name__ == "__main__":
    main()
