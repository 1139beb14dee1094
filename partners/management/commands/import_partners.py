from partners.importexport import PARTNERS

from ._csv import ImportCommand


class Command(ImportCommand):
    help = "Import partners from a CSV file; a row updates the page with its external_id, or creates one."
    spec = PARTNERS
