#!/usr/bin/env python
"""Django's command-line utility for Leerstad."""

import os
import sys
from pathlib import Path


def main():
    # The site package lives in site/ (a plain folder, so that nothing shadows Python's own `site` module).
    root = Path(__file__).resolve().parent
    sys.path[:0] = [str(root), str(root / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
