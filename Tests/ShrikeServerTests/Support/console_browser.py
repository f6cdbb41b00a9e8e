#!/usr/bin/env python3
"""Drives the Shrike console in headless Chromium (Selenium + chromium-driver) against a running `shrike server`.

Run by Tests/ShrikeServerTests/ConsoleBrowserTests.swift, which starts the server and fills it first. Arguments:
  URL USER_TOKEN AGENT_TOKEN INCIDENT_ID COMMAND RULE IMAGE_DIGEST CVE ARTIFACTS_DIR
Prints one "ok: ..." line per step and "live-latency-ms: N"; exits non-zero with "FAIL: ..." on the first failure.
Screenshots go to ARTIFACTS_DIR.
"""
import json
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, user_token, agent_token, incident_id, command, rule, digest, cve, artifacts = sys.argv[1:10]
shot = 0


def fail(message):
    print("FAIL: " + message, flush=True)
    screenshot("failure")
    sys.exit(1)


def screenshot(name):
    global shot
    shot += 1
    try:
        driver.save_screenshot("%s/%02d-%s.png" % (artifacts, shot, name))
    except Exception:  # the driver may be gone
        pass


def wait(condition, seconds, message):
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.05).until(lambda d: condition())
    except TimeoutException:
        fail(message)


def ingest_alert(seq, now_ns):
    clock = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now_ns // 1_000_000_000)) + ".%09dZ" % (now_ns % 1_000_000_000)
    body = {
        "time": clock, "rule": rule, "priority": "Warning", "source": "syscall", "hostname": "node-1",
        "tags": ["container", "shell"], "incident": incident_id,
        "output": "live alert <b>not bold</b> seq=%d" % seq,
        "output_fields": {"container.id": "ee97d9c4186f", "container.name": "web",
                          "container.image.repository": "docker.io/library/alpine", "proc.cmdline": "sh -c id"},
    }
    batch = {"agent": {"hostname": "node-1", "version": "0.9.0"},
             "records": [{"seq": seq, "kind": "alert", "body": body}]}
    request = urllib.request.Request(url + "/api/v1/ingest", data=json.dumps(batch).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + agent_token,
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        if answer.status != 200:
            fail("ingest answered %d" % answer.status)


def no_alert_fired(where):
    try:
        dialog = driver.switch_to.alert
        fail("%s: an alert() dialog opened: %s" % (where, dialog.text))
    except NoAlertPresentException:
        pass
    fired = driver.execute_script("return window.__shrikeAlerts || []")
    if fired:
        fail("%s: alert() was called: %r" % (where, fired))


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    # Any alert() a page's data managed to run is recorded (and would also open a dialog, checked too).
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source":
        "window.__shrikeAlerts = []; window.alert = function (m) { window.__shrikeAlerts.push(String(m)); };"})

    # Sign in: a page without a session goes to the sign-in form.
    driver.get(url + "/")
    wait(lambda: driver.current_url.endswith("/login"), 5, "/ did not redirect to /login")
    driver.find_element(By.ID, "token").send_keys(user_token)
    driver.find_element(By.ID, "signin").click()
    wait(lambda: driver.current_url.rstrip("/") == url and driver.find_elements(By.ID, "alerts"), 5,
         "signing in did not land on the feed")
    screenshot("feed")
    print("ok: signed in", flush=True)

    # Live: an alert posted after the page loaded appears within 2 s.
    wait(lambda: driver.execute_script("return document.getElementById('live') !== null"), 5, "no live feed")
    time.sleep(0.5)  # the EventSource connects
    seq = 1000 + int(time.time()) % 100000
    posted = time.monotonic()
    ingest_alert(seq, time.time_ns())
    row = "tr.alert[data-id='node-1/%d']" % seq
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, row), 2, "the live alert did not appear within 2 s")
    latency = (time.monotonic() - posted) * 1000
    print("live-latency-ms: %.0f" % latency, flush=True)
    cells = driver.find_element(By.CSS_SELECTOR, row).text
    if "<b>not bold</b>" not in cells:
        fail("the live row's output is not shown as text: %r" % cells)
    screenshot("live")
    print("ok: live alert shown", flush=True)

    # Its incident: the command that ran before the alert is on the page.
    driver.find_element(By.CSS_SELECTOR, row + " a.incident").click()
    wait(lambda: "/incidents/" in driver.current_url, 5, "the incident link did not open")
    page = driver.find_element(By.TAG_NAME, "body").text
    if command not in page:
        fail("the incident page does not show %r" % command)
    if "−" not in driver.find_element(By.ID, "window").text:
        fail("the ±N s window is not shown")
    screenshot("incident")
    print("ok: incident shows the command", flush=True)

    # Filter by rule.
    driver.get(url + "/?span=all")
    box = driver.find_element(By.NAME, "rule")
    box.clear()
    box.send_keys(rule)
    driver.find_element(By.ID, "apply").click()
    wait(lambda: "rule=" in driver.current_url, 5, "the filter did not apply")
    rows = driver.find_elements(By.CSS_SELECTOR, "#alerts tbody tr.alert")
    if not rows:
        fail("no alert for rule %r" % rule)
    for found in rows:
        if found.find_elements(By.TAG_NAME, "td")[2].text != rule:
            fail("a row of another rule under the filter: %r" % found.text)
    screenshot("filtered")
    print("ok: filtered by rule (%d rows)" % len(rows), flush=True)

    # An image's vulnerabilities.
    driver.get(url + "/images")
    driver.find_element(By.PARTIAL_LINK_TEXT, digest[:20]).click()
    wait(lambda: driver.find_elements(By.ID, "matches"), 5, "the image page did not open")
    if cve not in driver.find_element(By.ID, "matches").text:
        fail("the image page does not list %s" % cve)
    screenshot("image")
    print("ok: image vulnerabilities", flush=True)

    no_alert_fired("before sign-out")
    errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    if errors:
        fail("the browser console has errors: %r" % errors)
    print("ok: no alert() and no console errors", flush=True)

    # Sign out, and the pages go to sign-in.
    driver.find_element(By.ID, "signout").click()
    wait(lambda: driver.current_url.endswith("/login"), 5, "signing out did not go to /login")
    driver.get(url + "/hosts")
    wait(lambda: driver.current_url.endswith("/login"), 5, "after sign-out /hosts did not redirect to /login")
    screenshot("signed-out")
    print("ok: signed out", flush=True)
finally:
    driver.quit()
