#!/usr/bin/env python3
"""Drives the Shrike console in headless Chromium (Selenium + chromium-driver) against a running `shrike server`.

Run by Tests/ShrikeServerTests/ConsoleBrowserTests.swift, which starts the server and fills it first. Arguments:
  URL USER_TOKEN AGENT_TOKEN INCIDENT_ID COMMAND RULE IMAGE_DIGEST CVE ARTIFACTS_DIR HOSTILE_INCIDENT_ID
Prints one "ok: ..." line per step and "live-latency-ms: N"; exits non-zero with "FAIL: ..." on the first failure.
Screenshots go to ARTIFACTS_DIR.
"""
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_driver import Browser  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

url, user_token, agent_token, incident_id, command, rule, digest, cve, artifacts, hostile_id = sys.argv[1:11]


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


browser = Browser(artifacts)
driver, fail, wait, screenshot, no_alert_fired = (browser.driver, browser.fail, browser.wait, browser.screenshot,
                                                  browser.no_alert_fired)
try:
    browser.sign_in(url, user_token)
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
    if "−" not in driver.find_element(By.CSS_SELECTOR, ".window-span").text:
        fail("the ±N s window is not shown")
    screenshot("incident")
    print("ok: incident shows the command", flush=True)

    # The detail panel of a timeline entry: what the row does not show (its syscall) opens under it.
    entry = driver.find_element(By.CSS_SELECTOR, "table.entries details")
    entry.find_element(By.TAG_NAME, "summary").click()
    wait(lambda: entry.get_attribute("open") is not None, 2, "the entry's detail did not open")
    if "execve" not in entry.find_element(By.TAG_NAME, "dl").text:
        fail("the entry's detail does not show its syscall: %r" % entry.text)
    print("ok: entry detail", flush=True)

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
    layer = driver.find_element(By.CSS_SELECTOR, "#matches tr.match td.mono")
    if not layer.text.startswith("sha256:") or not layer.get_attribute("title").startswith("sha256:"):
        fail("the image page does not name the layer that brought the package: %r" % layer.text)
    screenshot("image")
    print("ok: image vulnerabilities", flush=True)

    # Hostile text in an incident (markup, javascript: URLs, ANSI and bidi) shows as text and runs nothing.
    driver.get(url + "/incidents/" + hostile_id)
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, "article.incident"), 5, "the hostile incident did not open")
    text = driver.find_element(By.TAG_NAME, "body").text
    if "<script>alert(1)</script>" not in text or "\\x1b[31mred" not in text:
        fail("the hostile incident's text is not shown as text: %r" % text[:400])
    no_alert_fired("hostile incident")
    screenshot("hostile")
    print("ok: hostile incident shown as text", flush=True)

    # Two incidents side by side, each with its own working axis.
    driver.get(url + "/incidents")
    boxes = driver.find_elements(By.CSS_SELECTOR, "#incidents input[name=id]")
    if len(boxes) < 2:
        fail("the incidents page lists %d incidents, not 2" % len(boxes))
    for box in boxes[:2]:
        box.click()
    driver.find_element(By.ID, "compare").click()
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, ".compare article.incident")) == 2, 5,
         "the two incidents did not open side by side")
    columns = driver.find_elements(By.CSS_SELECTOR, ".compare article.incident")
    if columns[0].location["y"] != columns[1].location["y"]:
        fail("the incidents are not side by side: %r %r" % (columns[0].location, columns[1].location))
    for column in columns:
        column.find_element(By.CSS_SELECTOR, "button.zoomin").click()
        if column.find_element(By.CSS_SELECTOR, "svg.axis").get_attribute("viewBox") == "0 0 1000 150":
            fail("zoom did not change an incident's axis")
    screenshot("compare")
    print("ok: incidents side by side", flush=True)

    no_alert_fired("before sign-out")
    browser.no_console_errors()
    print("ok: no alert() and no console errors", flush=True)

    # Sign out, and the pages go to sign-in.
    browser.sign_out(url)
    screenshot("signed-out")
    print("ok: signed out", flush=True)
finally:
    driver.quit()
