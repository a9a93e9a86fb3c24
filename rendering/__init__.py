"""Turning data into files: PDF (`pdf`, WeasyPrint with the embedded Tinos font, nothing fetched
from the network), Excel (`excel`), one table specification that the page, the PDF and the Excel
file all render from (`tables`), and the download responses (`downloads`)."""
