"""Which tests a second pass of the suite on another database can leave out.

``.ci/run`` runs the suite on SQLite, then on PostgreSQL. Some tests never touch the database under test: they
start processes of their own on a SQLite file in a temporary folder (workers, ``migrate`` and ``load_demo`` as
``make run`` and production run them, ``check --deploy``) or read files (the translation catalogues). The second
pass sets ``LEERSTAD_TESTS_DATABASE_ONLY=1`` and skips them: they would prove the same thing again.
"""

import os
import unittest

database_independent = unittest.skipIf(
    os.environ.get("LEERSTAD_TESTS_DATABASE_ONLY") == "1",
    "does not use the database under test; run in the first pass",
)
