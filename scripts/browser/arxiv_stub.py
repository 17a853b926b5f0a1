"""A stand-in for the arXiv API on loopback, for the browser test's submission: answers
`id_list=2501.00007` with one Atom entry and any other id with an empty feed."""
import http.server
import sys
import urllib.parse

ENTRY = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{count}</opensearch:totalResults>
{entry}</feed>"""
PAPER = """<entry><id>http://arxiv.org/abs/2501.00007v1</id><updated>2025-01-02T10:00:00Z</updated>
<published>2025-01-02T10:00:00Z</published><title>Attention Is Still All You Need: Linear Transformers</title>
<summary>We revisit attention and show that linear transformers match softmax attention on long documents.</summary>
<author><name>Ada Lovelace</name></author><author><name>Alan Turing</name></author>
<arxiv:primary_category term="cs.LG"/><category term="cs.LG"/><category term="cs.CL"/></entry>"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        found = query.get("id_list") == ["2501.00007"]
        body = ENTRY.format(count=1 if found else 0, entry=PAPER if found else "").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.serve_forever()
