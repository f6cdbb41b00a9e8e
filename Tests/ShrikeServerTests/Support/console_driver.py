"""What the console's browser tests share: headless Debian chromium under Selenium, screenshots, waits, and the
checks that no script from the data ran (an alert() hook installed before every page's own scripts)."""
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait


class Browser:
    def __init__(self, artifacts):
        self.artifacts = artifacts
        self.shot = 0
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        # Any alert() a page's data managed to run is recorded (and would also open a dialog, checked too).
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source":
            "window.__shrikeAlerts = []; window.alert = function (m) { window.__shrikeAlerts.push(String(m)); };"})

    def fail(self, message):
        print("FAIL: " + message, flush=True)
        self.screenshot("failure")
        sys.exit(1)

    def screenshot(self, name):
        self.shot += 1
        try:
            self.driver.save_screenshot("%s/%02d-%s.png" % (self.artifacts, self.shot, name))
        except Exception:  # the driver may be gone
            pass

    def wait(self, condition, seconds, message):
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.05).until(lambda d: condition())
        except TimeoutException:
            self.fail(message)

    def no_alert_fired(self, where):
        try:
            dialog = self.driver.switch_to.alert
            self.fail("%s: an alert() dialog opened: %s" % (where, dialog.text))
        except NoAlertPresentException:
            pass
        fired = self.driver.execute_script("return window.__shrikeAlerts || []")
        if fired:
            self.fail("%s: alert() was called: %r" % (where, fired))

    def no_console_errors(self):
        errors = [entry for entry in self.driver.get_log("browser") if entry.get("level") == "SEVERE"]
        if errors:
            self.fail("the browser console has errors: %r" % errors)

    def sign_in(self, url, token):
        """A page without a session goes to the sign-in form; the token lands on the feed."""
        from selenium.webdriver.common.by import By
        self.driver.get(url + "/")
        self.wait(lambda: self.driver.current_url.endswith("/login"), 5, "/ did not redirect to /login")
        self.driver.find_element(By.ID, "token").send_keys(token)
        self.driver.find_element(By.ID, "signin").click()
        self.wait(lambda: self.driver.current_url.rstrip("/") == url and self.driver.find_elements(By.ID, "alerts"),
                  5, "signing in did not land on the feed")

    def sign_out(self, url):
        """Signing out goes to sign-in, and a page afterwards does too."""
        from selenium.webdriver.common.by import By
        self.driver.find_element(By.ID, "signout").click()
        self.wait(lambda: self.driver.current_url.endswith("/login"), 5, "signing out did not go to /login")
        self.driver.get(url + "/hosts")
        self.wait(lambda: self.driver.current_url.endswith("/login"), 5,
                  "after sign-out /hosts did not redirect to /login")
