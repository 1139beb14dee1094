"""The interface catalogues: complete for Dutch and French, compiled, and covering every string the code uses."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.test import SimpleTestCase

from tests.passes import database_independent

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("nl", "en", "fr")
SOURCE_DIRS = ("learningcity", "partners", "events", "templates", "site")


def catalogue(language, suffix="po"):
    return ROOT / "locale" / language / "LC_MESSAGES" / f"django.{suffix}"


@database_independent
class CatalogueTests(SimpleTestCase):
    def test_dutch_and_french_translate_every_msgid(self):
        for language in ("nl", "fr"):
            po = polib.pofile(str(catalogue(language)))
            with self.subTest(language=language):
                self.assertEqual([entry.msgid for entry in po.untranslated_entries()], [])
                self.assertEqual([entry.msgid for entry in po.fuzzy_entries()], [])

    def test_compiled_catalogues_match_their_sources(self):
        for language in LANGUAGES:
            with self.subTest(language=language):
                po = polib.pofile(str(catalogue(language)))
                mo = polib.mofile(str(catalogue(language, "mo")))
                translated = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in po.translated_entries()}
                compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in mo if e.msgid}
                self.assertEqual(compiled, translated, "run `make messages`")

    def test_catalogues_hold_every_msgid_the_code_uses(self):
        if shutil.which("xgettext") is None:
            self.skipTest("GNU gettext is not installed")
        work = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="leerstad-messages-")))
        for name in SOURCE_DIRS:
            shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
        shutil.copy(ROOT / "manage.py", work / "manage.py")
        (work / "locale" / "nl" / "LC_MESSAGES").mkdir(parents=True)
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--locale",
                "nl",
                "--settings",
                "leerstad_site.settings.test",
            ],
            cwd=work,
            check=True,
            capture_output=True,
        )
        used = {(e.msgctxt, e.msgid) for e in polib.pofile(str(work / "locale" / "nl" / "LC_MESSAGES" / "django.po"))}
        known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(catalogue("nl"))) if not e.obsolete}
        self.assertEqual(sorted(used - known, key=str), [], "run `make makemessages` and translate the new strings")
