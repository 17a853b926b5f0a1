"""The anchor of `paperboy bench digest`: Python's smtplib sending COUNT messages of SIZE bytes
(multipart text + HTML, pre-rendered, one recipient each) over one connection to the same SMTP
server. Prints the messages per second; the server's own pace bounds both figures.

  python smtplib_anchor.py HOST PORT COUNT SIZE
"""
import smtplib
import sys
import time
from email.message import EmailMessage


def main():
    host, port, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    body = ("A paper title on a line of its own, then its authors and a link.\n" * (size // 130 + 1))[: size // 2]
    messages = []
    for n in range(count):
        message = EmailMessage()
        message["From"] = "Paperboy <digest@papers.example.org>"
        message["To"] = "anchor%d@lab%d.example.org" % (n, n % 200)
        message["Subject"] = "Paperboy daily: 10 papers for Nov 20, 2026"
        message["Message-ID"] = "<anchor.%d@papers.example.org>" % n
        message.set_content(body, cte="quoted-printable")
        message.add_alternative("<p>" + body.replace("\n", "<br>\n") + "</p>", subtype="html", cte="quoted-printable")
        messages.append((message["To"], message.as_bytes(policy=message.policy.clone(linesep="\r\n"))))
    start = time.perf_counter()
    with smtplib.SMTP(host, port) as client:
        client.ehlo("localhost")
        for to, data in messages:
            client.sendmail("digest@papers.example.org", [to], data)
    seconds = time.perf_counter() - start
    print("%.1f" % (count / seconds))


if __name__ == "__main__":
    main()
