"""Screenshots of the main pages at phone and desktop width, for people to look at.

    make screenshots      (writes PNG files to screenshots/, which git ignores)

Builds a throw-away SQLite database with the demo data, serves the app on a free
loopback port and photographs each page in Debian's Chromium, signed in as the
person who would see it.
"""

import os
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

OUT = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"phone": 360, "desktop": 1280}
DEMO = "program-wspolpracy-2012"

PAGES = [  # (name, path, who is signed in: None, "member", "official" or "admin")
    ("home", "/", None),
    ("consultation", f"/consultations/{DEMO}", None),
    ("comment-form", f"/consultations/{DEMO}/comment", "member"),
    ("my-comments", "/my/comments", "member"),
    ("my-organisations", "/my/organisations", "member"),
    ("login", "/login", None),
    ("register", "/register", None),
    ("manage", f"/manage/consultations/{DEMO}", "official"),
    ("moderation-queue", f"/manage/consultations/{DEMO}/moderation", "official"),
    ("progress", f"/manage/consultations/{DEMO}/progress", "official"),
    ("verification", "/manage/organisations", "official"),
    ("accessibility", "/accessibility", None),
    ("feeds", "/feeds", None),
    ("email-settings", "/account/notifications", "member"),
    ("announce", f"/manage/consultations/{DEMO}/announce", "official"),
    ("announcement", f"/manage/consultations/{DEMO}/announcement", "official"),
    ("outbox", "/admin/outbox", "admin"),
]


def main() -> None:
    instance = tempfile.mkdtemp(prefix="consult-shots-")
    os.environ["CONSULT_INSTANCE_DIR"] = instance
    os.environ.pop("DATABASE_URL", None)
    from flask_migrate import upgrade

    from consult import create_app
    from consult.demo import DEMO_LOGINS, seed_demo
    from consult.extensions import db

    app = create_app()
    app.config["RATELIMIT_ENABLED"] = False
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
    logins = {
        "member": next(d for d in DEMO_LOGINS if d.role.value == "member"),
        "official": next(d for d in DEMO_LOGINS if d.role.value == "official"),
        "admin": next(d for d in DEMO_LOGINS if d.role.value == "admin"),
    }
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, width in WIDTHS.items():
            for who in (None, "member", "official", "admin"):
                context = browser.new_context(locale="pl-PL", viewport={"width": width, "height": 900})
                page = context.new_page()
                if who:
                    page.goto(f"{base}/login")
                    page.fill("#email", logins[who].email)
                    page.fill("#password", logins[who].password)
                    page.locator("main button[type=submit]").click()
                for name, path, needs in PAGES:
                    if needs == who:
                        page.goto(base + path)
                        target = OUT / f"{name}-{size}.png"
                        page.screenshot(path=str(target), full_page=size == "phone")
                        print(target.relative_to(OUT.parent))
                context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
