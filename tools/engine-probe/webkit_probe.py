#!/usr/bin/python3
"""Drive Debian's WebKitGTK (WebKit2 4.1 GObject API via python3-gi) under Xvfb.

Console messages are written by the web process to stderr thanks to the setting
enable-write-console-messages-to-stdout; this script points fd 2 at a file and slices it
per scenario. One new WebView per scenario, all sharing a persistent website data manager.
Usage: xvfb-run -a /usr/bin/python3 webkit_probe.py [ids...]
"""
import os
import re
import shutil
import subprocess
import sys
import time

os.environ.setdefault("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1")
os.environ.setdefault("WEBKIT_FORCE_SANDBOX", "0")
os.environ.setdefault("WEBKIT_DISABLE_COMPOSITING_MODE", "1")

import gi  # noqa: E402
gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

import common  # noqa: E402

ERRLOG = "/tmp/engine-probe-webkit-stderr.log"


LINE_RE = re.compile(r"^(?:(.*):(\d+):(\d+): )?CONSOLE (\S+) (\S+) (.*)$")


def parse(raw):
    """WebKitGTK writes '[url:line:col: ]CONSOLE <SOURCE> <LEVEL> <message>' per message."""
    console = []
    for ln in raw.split("\n"):
        if not ln.strip():
            continue
        m = LINE_RE.match(ln)
        if m:
            c = {"source": m.group(4), "level": m.group(5), "text": m.group(6), "raw": ln}
            if m.group(1):
                c["url"], c["line"], c["column"] = m.group(1), int(m.group(2)), int(m.group(3))
            console.append(c)
        else:
            console.append({"source": None, "level": None, "text": ln, "raw": ln, "unparsed": True})
    return console


def main():
    ids = common.select(sys.argv[1:])
    # capture our stderr and the web/network processes' (they inherit fd 2)
    real_err = os.dup(2)
    fd = os.open(ERRLOG, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    log = open(ERRLOG, "rb")

    sys.stderr = os.fdopen(real_err, "w", buffering=1)

    def say(*a):
        os.write(real_err, (" ".join(str(x) for x in a) + "\n").encode())

    base = "/tmp/engine-probe-webkit"
    shutil.rmtree(base, ignore_errors=True)
    mgr = WebKit2.WebsiteDataManager(base_data_directory=base + "/data", base_cache_directory=base + "/cache")
    ctx = WebKit2.WebContext.new_with_website_data_manager(mgr)
    ctx.set_cache_model(WebKit2.CacheModel.DOCUMENT_VIEWER)
    pkg = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libwebkit2gtk-4.1-0"],
                         capture_output=True, text=True).stdout
    version = {"--version": "WebKitGTK %d.%d.%d (libwebkit2gtk-4.1-0 %s)" % (
        WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version(), pkg)}
    tag = "w%d" % (int(time.time()) % 100000)

    def spin(cond, timeout):
        end = time.time() + timeout
        while time.time() < end and not cond():
            while Gtk.events_pending():
                Gtk.main_iteration_do(False)
            time.sleep(0.01)

    def run_one(key, url, wait, settle):
        settings = WebKit2.Settings()
        settings.set_property("enable-write-console-messages-to-stdout", True)
        settings.set_property("enable-developer-extras", True)
        view = WebKit2.WebView(web_context=ctx, settings=settings)
        win = Gtk.OffscreenWindow()
        win.add(view)
        win.show_all()
        start = os.lseek(fd, 0, os.SEEK_CUR)
        view.load_uri(url)
        spin(wait_poll, 20)
        spin(lambda: False, settle)
        win.destroy()
        spin(lambda: False, 0.1)
        log.seek(start)
        raw = log.read().decode("utf-8", "replace")
        lines = [ln for ln in raw.split("\n") if ln.strip()]
        return {"console": parse(raw), "stderr_raw": raw}

    def wait_poll():
        return common.server.wait_report(current["key"], 0) is not None

    current = {}
    orig_run_one = run_one

    def run_one_wrapped(key, url, wait, settle):
        current["key"] = key
        return orig_run_one(key, url, wait, settle)

    try:
        common.run_all("webkitgtk", version, run_one_wrapped, ids, tag)
    finally:
        os.dup2(real_err, 2)


if __name__ == "__main__":
    main()
