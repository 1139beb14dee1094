from partners.importexport import PARTNERS

from ._csv import ExportCommand


class Command(ExportCommand):
    help = "Export partners to a CSV file that import_partners reads back."
    spec = PARTNERS
