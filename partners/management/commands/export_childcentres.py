from partners.importexport import CHILD_CENTRES

from ._csv import ExportCommand


class Command(ExportCommand):
    help = "Export child centres to a CSV file that import_childcentres reads back."
    spec = CHILD_CENTRES
