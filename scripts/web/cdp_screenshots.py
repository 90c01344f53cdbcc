#!/usr/bin/env python3
"""Drives headless chromium over the DevTools protocol (on a pipe, so no websocket library is needed):
logs in to Sky's web page through its form, visits pages, saves screenshots, and exits 1 on any
JavaScript exception, console error or failed page load.

usage: cdp_screenshots.py --url http://127.0.0.1:PORT --token sky_... --out DIR name=/path [name=/path ...]
"""
import argparse
import base64
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time


class Browser:
    """One headless chromium; commands go to its fd 3, replies and events come from its fd 4."""

    def __init__(self, chromium, width, height):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="sky-chromium-")

        def wire():  # runs in the child: the protocol pipe must be fds 3 and 4 (moved up first, in case they are taken)
            read_end = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
             f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            preexec_fn=wire, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while time.time() < deadline:
            event = self.read()
            if event.get("method") == method:
                return event
            self.events.append(event)
        raise RuntimeError(f"no {method} within {timeout} s")

    def pump(self, seconds):
        """Collects events for a while (the page's scripts run meanwhile)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self.send("Runtime.evaluate", {"expression": "1"})
            time.sleep(0.2)

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        subprocess.run(["rm", "-rf", self.profile])


def problems_in(events):
    """JavaScript exceptions, console errors and failed loads among the collected events."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append("Uncaught " + (details.get("exception", {}).get("description") or details.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append("console.error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            found.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--max-height", type=int, default=1500)
    parser.add_argument("--settle", type=float, default=2.5, help="seconds each page runs before its screenshot")
    parser.add_argument("--follow", action="append", default=[],
                        help="a job id whose log the page must receive over the API's event stream with the cookie")
    parser.add_argument("pages", nargs="+", help="name=/path")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    browser = Browser(args.chromium, args.width, 900)
    failures = []
    try:
        targets = browser.send("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        browser.session = browser.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.send(f"{domain}.enable")

        def visit(path):
            browser.events.clear()
            browser.send("Page.navigate", {"url": args.url + path})
            browser.wait_for("Page.loadEventFired")
            browser.pump(args.settle)
            return browser.send("Runtime.evaluate", {"expression": "location.pathname + location.search", "returnByValue": True})["result"]["value"]

        def shoot(name):
            height = browser.send("Runtime.evaluate", {"expression": "document.documentElement.scrollHeight", "returnByValue": True})["result"]["value"]
            height = max(600, min(int(height), args.max_height))
            browser.send("Emulation.setDeviceMetricsOverride", {"width": args.width, "height": height, "deviceScaleFactor": 1, "mobile": False})
            shot = browser.send("Page.captureScreenshot", {"format": "png"})
            with open(os.path.join(args.out, name + ".png"), "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            browser.send("Emulation.clearDeviceMetricsOverride")

        def check(name):
            for problem in problems_in(browser.events):
                failures.append(f"{name}: {problem}")

        # Log in the way a person does: the form, then the cookie the server sets (scripts cannot read it).
        landed = visit("/ui/jobs")
        if not landed.startswith("/ui/login"):
            failures.append(f"an unauthenticated visit to /ui/jobs ended at {landed}, not the log-in page")
        shoot("login")
        check("login")
        browser.events.clear()
        browser.send("Runtime.evaluate", {"expression":
            f"document.getElementById('token').value = {json.dumps(args.token)}; document.querySelector('form').submit();"})
        browser.wait_for("Page.loadEventFired")
        browser.pump(1)
        where = browser.send("Runtime.evaluate", {"expression": "location.pathname", "returnByValue": True})["result"]["value"]
        if where != "/ui/jobs":
            failures.append(f"logging in led to {where}, not /ui/jobs")
        readable = browser.send("Runtime.evaluate", {"expression": "document.cookie", "returnByValue": True})["result"]["value"]
        if "sky_token" in readable:
            failures.append("the session cookie is readable from scripts (not HttpOnly)")
        check("log-in")

        # The log follower's path: EventSource sends the HttpOnly cookie, the API streams lines until `end`.
        for job in args.follow:
            count = browser.send("Runtime.evaluate", {"awaitPromise": True, "returnByValue": True, "expression": f"""
                new Promise(function (resolve) {{
                  var lines = 0, source = new EventSource("/v1/jobs/{int(job)}/logs?follow=true");
                  source.addEventListener("log", function () {{ lines += 1; }});
                  source.addEventListener("end", function () {{ source.close(); resolve(lines); }});
                  source.onerror = function () {{ source.close(); resolve(-1); }};
                  setTimeout(function () {{ source.close(); resolve(-2); }}, 15000);
                }})"""})["result"]["value"]
            if count <= 0:
                failures.append(f"following job {job}'s log from the page got {count} (lines, -1 error, -2 timeout)")
            else:
                print(f"  followed job {job}'s log from the page: {count} lines over server-sent events")

        for spec in args.pages:
            name, path = spec.split("=", 1)
            landed = visit(path)
            if landed.startswith("/ui/login"):
                failures.append(f"{name}: {path} redirected to the log-in page")
            shoot(name)
            check(name)
            print(f"  {name}: {path} → {os.path.join(args.out, name + '.png')}")
    finally:
        browser.close()

    if failures:
        print("web check FAILED:", file=sys.stderr)
        for failure in failures:
            print("  " + failure, file=sys.stderr)
        return 1
    print("web check: no JavaScript errors on any page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
