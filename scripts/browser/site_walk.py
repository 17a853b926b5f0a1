"""Walks the site in headless Chromium (Debian's chromium and chromedriver, driven by Selenium):
signs up, upvotes, submits a paper, comments, makes a collection, searches, and visits the week,
month, trending, dark-mode and phone views, saving a screenshot of each page. Fails loudly on the
first thing that is not as a member would expect.

Usage: site_walk.py BASE_URL ARTIFACT_DIR SERVER_LOG
(the server runs without an SMTP server, so the sign-up link is read from its log)"""
import os
import re
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, artifacts, server_log = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
os.makedirs(artifacts, exist_ok=True)
shots = []

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.implicitly_wait(2)


def shot(name):
    path = os.path.join(artifacts, f"{len(shots) + 1:02d}-{name}.png")
    driver.save_screenshot(path)
    shots.append(path)


def check(condition, what):
    if not condition:
        shot("failure")
        raise AssertionError(f"{what} (at {driver.current_url})")


def go(path):
    driver.get(base + path)


def fill(field, value, within="main"):
    """Types into the field named `field` of the page's main part (the subscribe box in the
    header has an `email` field too)."""
    element = driver.find_element(By.CSS_SELECTOR, f"{within} [name='{field}']")
    element.clear()
    element.send_keys(value)


def navigating(click):
    """Clicks, then waits until the next page has replaced this one (reading the URL or the page
    right after a click races the navigation)."""
    page = driver.find_element(By.TAG_NAME, "html")
    click()

    def replaced(_):
        # Selenium's staleness_of waits for StaleElementReferenceException only; mid-navigation
        # Chromium may answer "Node with given id does not belong to the document" instead, which
        # says the same: the old page is gone.
        try:
            page.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, 15).until(replaced)


def press(form_css):
    navigating(driver.find_element(By.CSS_SELECTOR, form_css + " button[type=submit]").click)


try:
    go("/")
    check("Daily Papers" in driver.page_source, "the daily list shows")
    check(len(driver.find_elements(By.CSS_SELECTOR, "article.paper")) > 10, "the daily list has papers")
    shot("daily")

    # Sign up.
    go("/signup")
    fill("name", "Browser Tester")
    fill("email", "browser@example.org")
    fill("password", "a long browser password")
    shot("signup")
    press("form[action='/signup']")
    check("Check your inbox" in driver.page_source, "sign-up asks to follow the mailed link")
    check(driver.get_cookie("pb_session") is None, "sign-up alone signs no one in")
    shot("signup-sent")
    link = None
    for _ in range(50):
        with open(server_log, encoding="utf-8", errors="replace") as log:
            found = re.findall(r"http://\S+/signup/confirm\?token=\S+", log.read())
        if found:
            link = found[-1]
            break
        time.sleep(0.1)
    check(link, "the sign-up link went out (to the log)")
    navigating(lambda: driver.get(link))
    check(driver.current_url.endswith("/account"), "the mailed link lands on the account page")
    check("browser@example.org" in driver.page_source, "the account page shows the address")
    session = driver.get_cookie("pb_session")
    check(session and session.get("httpOnly"), "the session cookie is HttpOnly")
    shot("account")

    # Upvote the first paper of the daily list.
    go("/")
    first = driver.find_element(By.CSS_SELECTOR, "article.paper")
    title = first.find_element(By.CSS_SELECTOR, "h3").text
    navigating(first.find_element(By.CSS_SELECTOR, "form.upvote button").click)
    button = driver.find_element(By.CSS_SELECTOR, "article.paper form.upvote button")
    check(button.get_attribute("aria-pressed") == "true", "the upvote is pressed")
    check(button.find_element(By.CSS_SELECTOR, ".count").text == "1", "the count is 1")
    shot("upvoted")

    # Submit a paper that is fetched from (the stand-in for) the arXiv API.
    go("/submit")
    fill("paper", "https://arxiv.org/abs/2501.00007v1")
    shot("submit")
    press("form[action='/submit']")
    check(driver.current_url.endswith("/papers/2501.00007"), "submitting leads to the paper")
    check("Attention Is Still All You Need" in driver.page_source, "the fetched paper shows")
    check("Submitted by Browser Tester" in driver.page_source, "the submitter shows")
    shot("submitted-paper")
    go("/")
    check("Submitted by Browser Tester" in driver.page_source, "the submission is on today's list")

    # Comment with Markdown and a script that must come back as text.
    go("/papers/2501.00007")
    fill("body", "Linear attention *finally* works: see [the code](https://example.org/code). <script>alert(1)</script>")
    press("form.comment-form")
    body = driver.find_element(By.CSS_SELECTOR, ".comment-body")
    check(body.find_element(By.TAG_NAME, "em").text == "finally", "emphasis renders")
    check("<script>alert(1)</script>" in body.text, "the script shows as text")
    check(not driver.find_elements(By.CSS_SELECTOR, ".comment-body script"), "no script element in the comment")
    shot("comment")

    # A collection with the paper in it.
    go("/collections")
    fill("name", "Reading group, week 1")
    press("form[action='/collections']")
    check("Reading group, week 1" in driver.page_source, "the collection page shows its name")
    collection_url = driver.current_url
    go("/papers/2501.00007")
    press("form[action='/collections/add']")
    check(driver.current_url == collection_url, "adding leads to the collection")
    check("Attention Is Still All You Need" in driver.page_source, "the collection holds the paper")
    shot("collection")

    # Search.
    driver.find_element(By.ID, "q").send_keys("attention transformers")
    navigating(driver.find_element(By.CSS_SELECTOR, "form.search button").click)
    check("/search?q=" in driver.current_url, "the search form leads to results")
    check(driver.find_elements(By.CSS_SELECTOR, "article.paper mark"), "search results mark matches")
    shot("search")

    # Search by meaning, once serve has embedded the demo papers (the model is in the models folder
    # when scripts/test runs this): the mode switch, a hybrid search, similar papers.
    import json
    import urllib.request
    models = os.environ.get("PAPERBOY_MODELS", os.path.expanduser("~/.cache/paperboy/models"))
    if os.path.exists(os.path.join(models, "all-MiniLM-L6-v2", "model.safetensors")):
        for _ in range(600):
            health = json.load(urllib.request.urlopen(base + "/health"))
            if "hybrid" in health["search_modes"]:
                break
            time.sleep(0.5)
        check("hybrid" in health["search_modes"], f"hybrid search goes live ({health})")
        go("/search?q=" + "turning+noise+into+pictures")
        current = driver.find_element(By.CSS_SELECTOR, "nav.modes .current")
        check(current.text == "Hybrid", f"hybrid is the default mode (switch shows {current.text})")
        check(len(driver.find_elements(By.CSS_SELECTOR, "article.paper")) > 0, "hybrid search lists papers")
        shot("search-hybrid")
        navigating(driver.find_element(By.LINK_TEXT, "Meaning").click)
        check(driver.find_element(By.CSS_SELECTOR, "nav.modes .current").text == "Meaning", "the switch goes to semantic")
        shot("search-semantic")
        navigating(driver.find_element(By.CSS_SELECTOR, "article.paper h3 a").click)
        similar = driver.find_elements(By.CSS_SELECTOR, "section.similar li a")
        check(len(similar) == 10, f"a paper page shows 10 similar papers ({len(similar)})")
        driver.execute_script("document.querySelector('section.similar').scrollIntoView()")
        shot("paper-similar")
    else:
        print("browser: note: no embedding model; the semantic pages are not walked")

    # The other views.
    go("/trending")
    check(title in driver.page_source, "the upvoted paper is trending")
    shot("trending")
    go("/")
    navigating(driver.find_element(By.LINK_TEXT, "Week").click)
    check("Weekly Papers" in driver.page_source, "the week view")
    shot("week")
    go("/")
    navigating(driver.find_element(By.LINK_TEXT, "Month").click)
    check("Monthly Papers" in driver.page_source, "the month view")
    shot("month")
    go("/about")
    check("score = upvotes" in driver.page_source, "the about page publishes the formula")
    shot("about")

    # The subscribe box on every page: a confirmation mail is sent (to the log: no SMTP server).
    check("Get trending papers in your email inbox!" in driver.page_source, "the subscribe box shows")
    fill("email", "reader@example.org", within="aside.subscribe")
    press("aside.subscribe form")
    check("Check your inbox" in driver.page_source, "subscribing asks to confirm by mail")
    shot("subscribe")
    go("/account")
    check("E-mail digest" in driver.page_source, "the account page offers digests")

    # Dark mode and a phone.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    go("/papers/2501.00007")
    background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    check(background != "rgb(255, 255, 255)", f"dark mode darkens the page (background {background})")
    shot("paper-dark")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    driver.set_window_size(390, 844)
    go("/")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 390, f"no sideways scrolling on a phone (page is {width}px wide)")
    shot("phone")
    # Every page passed the content security policy (no inline script or style was refused).
    refused = [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]
    check(not refused, f"the pages break the content security policy: {refused[:3]}")
finally:
    driver.quit()

print(f"browser: {len(shots)} screenshots in {artifacts}")
