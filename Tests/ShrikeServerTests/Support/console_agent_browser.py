#!/usr/bin/env python3
"""The console with a real agent: headless Chromium watches the live feed while a real `shrike watch --server` on
this host sees a gated script run a command, wait, and read /etc/shadow.

Run by Tests/ShrikeIntegrationTests/ConsoleAgentBrowserTests.swift (root), which starts the server and the agent.
Arguments: URL USER_TOKEN GATE_PATH RULE BEFORE_COMMAND ARTIFACTS_DIR
Creating GATE_PATH lets the script run. Prints "ok: ..." per step and "live-latency-ms: N" (from the alert's own
time to its row on the page); exits non-zero with "FAIL: ..." on the first failure.
"""
import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_driver import Browser  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

url, user_token, gate, rule, before_command, artifacts = sys.argv[1:7]
browser = Browser(artifacts)
driver = browser.driver
try:
    browser.sign_in(url, user_token)
    browser.wait(lambda: driver.execute_script("return document.getElementById('live') !== null"), 5, "no live feed")
    time.sleep(0.5)  # the EventSource connects
    open(gate, "w").close()

    # The row of the agent's alert, as the live stream adds it (a fresh row, not one the page loaded with).
    def fresh_row():
        for found in driver.find_elements(By.CSS_SELECTOR, "#alerts tbody tr.alert.fresh"):
            cells = found.find_elements(By.TAG_NAME, "td")
            if len(cells) > 2 and cells[2].text == rule:
                return found
        return None

    row = browser.wait(fresh_row, 15, "no live row for %r within 15 s of the gate" % rule)
    shown = datetime.datetime.now(datetime.timezone.utc)
    stamp = row.find_elements(By.TAG_NAME, "td")[0].text
    alerted = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    latency = (shown - alerted).total_seconds() * 1000
    print("live-latency-ms: %.0f" % latency, flush=True)
    if latency > 2000:
        browser.fail("the alert reached the page %.0f ms after it fired (goal: 2 s)" % latency)
    browser.screenshot("agent-live")
    print("ok: the agent's alert appeared live", flush=True)

    # Its incident closes a second after the alert and is then shipped; until it arrives the page says so and
    # reloads itself (no script), so following the link is all a person does.
    row.find_element(By.CSS_SELECTOR, "a.incident").click()
    browser.wait(lambda: driver.find_elements(By.CSS_SELECTOR, "article.incident"), 20,
                 "the incident did not arrive within 20 s of following its link")
    page = driver.find_element(By.TAG_NAME, "body").text
    if before_command not in page:
        browser.fail("the incident page does not show %r, run before the alert" % before_command)
    if "cat /etc/shadow" not in page:
        browser.fail("the incident page does not show the command that raised the alert")
    browser.screenshot("agent-incident")
    print("ok: the incident shows the command run before the alert", flush=True)

    browser.no_alert_fired("agent incident")
    browser.no_console_errors()
    browser.sign_out(url)
    print("ok: signed out", flush=True)
finally:
    driver.quit()
