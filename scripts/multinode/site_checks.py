"""One site on three nodes (scripts/multinode-test.sh runs this with the nodes up): sign-up
through nginx, the session on every node, an upvote through A seen through B and C within 1 s, a
paper ingested by another process found by search on C within 2 s, a comment posted on B shown
on A at once, and the sign-in limit held across the nodes. Standard library only."""
import glob
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

front = "http://127.0.0.1:%s" % os.environ["PAPERBOY_NGINX_PORT"]
nodes = dict(zip("abc", ("http://127.0.0.1:%s" % p for p in os.environ["PAPERBOY_NODE_PORTS"].split(","))))
work = os.environ["PAPERBOY_WORK"]
jar = http.cookiejar.CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fail(message):
    print("multinode: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def get(url, opener=browser, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with opener.open(request, timeout=10) as answer:
        return answer.read().decode()


def post(url, fields=None, body=None, headers=None, opener=browser):
    data = urllib.parse.urlencode(fields).encode() if fields is not None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    with opener.open(request, timeout=10) as answer:
        return answer.read().decode()


def csrf(page):
    found = re.search(r'name="csrf" value="([^"]*)"', page)
    if not found:
        fail("no CSRF token in the form")
    return found.group(1)


def until(seconds, check):
    """Polls `check` until it is true; returns how long it took, or None."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.02)
    return None


# Sign-up through nginx: the form comes from one node and is posted to another (round robin), so
# the CSRF token's key is the site's, not a node's.
token = csrf(get(front + "/signup"))
post(front + "/signup", {"csrf": token, "name": "Node Tester", "email": "nodes@example.org",
                          "password": "a long password"})
link = None
for _ in range(100):
    for log in glob.glob(os.path.join(work, "node-*.log")):
        found = re.findall(r"http://\S*/signup/confirm\?token=\S+", open(log, errors="replace").read())
        if found:
            link = found[-1]
    if link:
        break
    time.sleep(0.1)
if not link:
    fail("no sign-up link in any node's log")
path = urllib.parse.urlsplit(link)
get(front + path.path + "?" + path.query)
if not any(cookie.name == "pb_session" for cookie in jar):
    fail("following the sign-up link set no session")
for name, base in nodes.items():
    if "nodes@example.org" not in get(base + "/account"):
        fail("the session does not work on node %s" % name)
print("multinode: signed up through nginx; the session works on nodes a, b and c")

account = get(front + "/account")
page = post(front + "/account/tokens", {"csrf": csrf(account), "name": "multinode"})
found = re.search(r'<code class="token">([^<]*)', page)
if not found:
    fail("no API token from the account page")
api = {"Authorization": "Bearer " + found.group(1)}

# An upvote through A, seen through B and C (their cached answers emptied by the notice).
paper = json.loads(get(nodes["a"] + "/api/daily_papers?limit=1"))[0]["paper"]["id"]
for name in "bc":
    before = json.loads(get(nodes[name] + "/api/papers/" + paper))["upvotes"]
    if before != 0:
        fail("paper %s already has %s upvotes on %s" % (paper, before, name))
answer = json.loads(post(nodes["a"] + "/api/papers/%s/upvote" % paper, body={}, headers=api))
if answer != {"upvoted": True, "upvotes": 1}:
    fail("the upvote through A answered %s" % answer)
for name in "bc":
    took = until(1.0, lambda: json.loads(get(nodes[name] + "/api/papers/" + paper))["upvotes"] == 1)
    if took is None:
        fail("the upvote through A was not seen through %s within 1 s" % name)
    print("multinode: upvote through A seen through %s after %.0f ms" % (name.upper(), took * 1000))

# A paper ingested by another process (a writer like any node), found by search on C.
word = "zyxquantumfolding"
with open(os.path.join(work, "new.jsonl"), "w") as out:
    out.write(json.dumps({"id": "2612.00042", "title": "Protein %s at scale" % word, "abstract":
                          "We fold proteins with %s." % word, "authors": ["Ada Node"], "categories": ["q-bio.BM"],
                          "date": "2026-12-01"}) + "\n")
subprocess.run([os.environ["PAPERBOY_BINARY"], "ingest", "--database", os.environ["PAPERBOY_DATABASE_URL"],
                os.path.join(work, "new.jsonl")], check=True, stdout=subprocess.DEVNULL)
took = until(2.0, lambda: len(json.loads(get(nodes["c"] + "/api/papers/search?q=" + word))) == 1)
if took is None:
    fail("the ingested paper was not found by search on C within 2 s")
print("multinode: a paper ingested by another process found by search on C after %.0f ms" % (took * 1000))

# A comment posted on B shows on A at once.
text = "Seen from every node %d" % os.getpid()
post(nodes["b"] + "/api/papers/%s/comments" % paper, body={"body": text}, headers=api)
if text not in get(nodes["a"] + "/papers/" + paper):
    fail("the comment posted on B is not on A's paper page at once")
print("multinode: a comment posted on B shows on A at once")

# The sign-in limit (5 tries a minute for an address from one client) holds across the nodes:
# nginx spreads 7 wrong passwords over A, B and C (2 or 3 each, under any one node's limit), and
# the sixth is refused all the same.
guesser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
answers = []
for attempt in range(7):
    form = get(front + "/signin", opener=guesser)
    try:
        page = post(front + "/signin", {"csrf": csrf(form), "email": "nodes@example.org",
                                        "password": "wrong guess %d" % attempt}, opener=guesser)
        status = 200
    except urllib.error.HTTPError as error:
        page, status = error.read().decode(), error.code
    answers.append((status, "too many sign-in attempts" in page))
if [limited for _, limited in answers] != [False] * 5 + [True] * 2:
    fail("7 wrong passwords through nginx: %s (expected the 6th and 7th refused as too many)" % answers)
if answers[5][0] != 429:
    fail("the refused sign-in answered %d, not 429" % answers[5][0])
print("multinode: 7 wrong passwords spread over the 3 nodes: the 6th and 7th refused (the limit is shared)")
