"""Screenshots of the portal and the admin for README.md, and where each listing's first result sits.

Run against the demo that ``make run`` serves (``make screenshots`` starts nothing itself)::

    make run                    # in one terminal
    make screenshots            # in another; PORT=8080 when the portal runs there

Writes PNGs into docs/screenshots/ and prints, per listing and screen size, the first result's top edge in CSS
pixels (less than the screen's height: the result shows without scrolling). Uses Playwright with the
machine's Chromium (``LEERSTAD_CHROMIUM``, else ``chromium`` on the PATH), as the browser tests do.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
# The listings and the selector of their first result.
LISTINGS = {
    "agenda": ("/nl/agenda/", ".agenda-item"),
    "directory": ("/nl/partners/", ".results .card"),
    "child-centres": ("/nl/kindcentra/", ".results .card"),
    "search": ("/nl/zoeken/?q=taal", ".search-result"),
}
# What README.md shows: (name, listing or path, size).
SHOTS = [("agenda-desktop", "agenda", "desktop"), ("agenda-phone", "agenda", "phone")]
OUT = Path(__file__).resolve().parent / "screenshots"
# What the import preview's screenshot uploads (nothing is imported: the preview stops at the wrong row).
PREVIEW_CSV = (
    "external_id,title,kind,sector,summary\r\n"
    "DEMO-NIEUW-1,Repair Café Oost,ngo,civil-society,Samen spullen repareren en van elkaar leren.\r\n"
    "DEMO-NIEUW-2,Taalhuis Centrum,library,onbekend,Oefenen met Nederlands.\r\n"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
    parser.add_argument("--measure-only", action="store_true", help="print the positions, write no PNG")
    args = parser.parse_args()
    chromium = os.environ.get("LEERSTAD_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("No Chromium: install it or set LEERSTAD_CHROMIUM.")
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        for size_name, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
            page = context.new_page()
            for name, (path, selector) in LISTINGS.items():
                page.goto(args.base_url + path)
                first = page.locator(selector).first
                box = first.bounding_box() if first.count() else None
                where = f"{box['y']:.0f} px" if box else "no result"
                print(f"{name:14} {size_name:8} {width}×{height}: first result at {where}")
                for shot, listing, shot_size in SHOTS:
                    if listing == name and shot_size == size_name and not args.measure_only:
                        page.screenshot(path=OUT / f"{shot}.png")
            if size_name == "desktop" and not args.measure_only:
                page.goto(args.base_url + "/nl/")
                page.screenshot(path=OUT / "home-desktop.png")
                page.goto(args.base_url + LISTINGS["agenda"][0])
                page.locator(".agenda-item h4 a").first.click()
                page.wait_for_load_state()
                page.screenshot(path=OUT / "event-desktop.png")
            context.close()
        if not args.measure_only:
            # The admin's dashboard, signed in with the demo's login (make run prints it).
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page = context.new_page()
            page.goto(args.base_url + "/admin/login/")
            page.fill("#id_username", "admin")
            page.fill("#id_password", "leerstad-demo")
            page.keyboard.press("Enter")
            page.wait_for_url("**/admin/")
            page.screenshot(path=OUT / "admin-dashboard.png")
            # The learning city report (Reports → Rapport lerende stad): the filters, then the SDG coverage's chart.
            page.set_viewport_size({"width": 1280, "height": 1100})
            page.goto(args.base_url + "/admin/reports/learning-city/")
            page.screenshot(path=OUT / "admin-report.png")
            # An import's preview (Settings → Imports): a partners CSV with one good row and one wrong one.
            page.goto(args.base_url + "/admin/imports/")
            page.check("input[name=kind][value=partners]")
            page.set_input_files(
                "input[name=file]",
                {"name": "partners.csv", "mimeType": "text/csv", "buffer": PREVIEW_CSV.encode()},
            )
            page.get_by_role("button", name="Bestand controleren").click()
            page.wait_for_load_state()
            page.screenshot(path=OUT / "admin-import-preview.png")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
