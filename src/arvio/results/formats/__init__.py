"""Output formats of the report, pretix-style: each a small class that renders a `Report`.

Used alike by the results page's downloads and by `arvio export`. An exporter
never touches the database: everything it needs is in the Report. A new format
is a module with an `exporter` (an `Exporter`, base.py), listed here.
"""

from arvio.results.formats import csv_format, html_format, json_format, pdf_format, pptx_format, xlsx_format
from arvio.results.formats.base import Exporter

# In the order the results page offers them.
_EXPORTERS: tuple[Exporter, ...] = (
    pptx_format.exporter,
    pdf_format.exporter,
    html_format.exporter,
    xlsx_format.exporter,
    csv_format.exporter,
    json_format.exporter,
)


def exporters() -> dict[str, Exporter]:
    """Every format by its identifier."""
    return {exporter.identifier: exporter for exporter in _EXPORTERS}
