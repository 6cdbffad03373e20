"""The report as a PDF, printed by WeasyPrint from the HTML report's template.

The template's @page rules make it A4 landscape with page numbers and the
organizer's name in the footer. WeasyPrint embeds the fonts it uses, so the
text stays selectable and searchable; as PDF/UA it is also tagged (headings,
tables, reading order) and carries the report's language, for screen readers:
a report published to the public falls under the accessibility law too.
"""

from django.utils.translation import gettext_lazy as _
from weasyprint import HTML

from arvio.results.formats.base import Exporter
from arvio.results.formats.html_format import report_html
from arvio.results.report import Report


def report_pdf(report: Report) -> bytes:
    return HTML(string=report_html(report)).write_pdf(pdf_variant="pdf/ua-1")


class PdfExporter(Exporter):
    identifier = "pdf"
    verbose_name = _("PDF")
    extension = "pdf"
    content_type = "application/pdf"

    def render(self, report: Report, **options) -> tuple[str, str, bytes]:
        return self.filename(report), self.content_type, report_pdf(report)


exporter = PdfExporter()
