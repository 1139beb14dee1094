from partners.importexport import CHILD_CENTRES

from ._csv import ImportCommand


class Command(ImportCommand):
    help = "Import child centres from a CSV file; a row updates the page with its external_id, or creates one."
    spec = CHILD_CENTRES
