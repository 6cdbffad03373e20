"""The exporter every output format is, pretix-style: a small class that renders a `Report`."""

from collections.abc import Iterator

from arvio.results.report import Report


class Exporter:
    identifier: str  # "pptx"
    verbose_name: str  # shown on the download buttons
    extension: str
    content_type: str
    # Whether the export carries each municipality's answers (only staff may download those).
    needs_answers: bool = False
    # The options render() takes, each with its allowed values; the first is not a default (render has those).
    options: dict[str, tuple[str, ...]] = {}
    # The options of the file a published report offers the public: aggregates only, never the answers.
    public_options: dict[str, str] = {}

    # Whether the export lists every invited municipality with its status (a deck lists them only when few).
    needs_respondents: bool = False

    def needs_answers_for(self, **options) -> bool:
        """Whether the export made with these options carries each municipality's answers."""
        return self.needs_answers

    def needs_respondents_for(self, **options) -> bool:
        """Whether the export made with these options lists every invited municipality."""
        return self.needs_respondents

    def invalid_options(self, options: dict[str, str]) -> list[str]:
        """The names of options this exporter doesn't take, or with a value it doesn't allow."""
        return [name for name, value in options.items() if value not in self.options.get(name, ())]

    def filename(self, report: Report) -> str:
        return f"{report.round_code}-{report.language}.{self.extension}"

    def render(self, report: Report, **options) -> tuple[str, str, bytes]:
        """Returns (filename, content type, content)."""
        raise NotImplementedError

    def stream(self, report: Report, **options) -> tuple[str, str, Iterator[bytes]]:
        """Returns (filename, content type, the content in pieces), the same bytes as render's. A format that
        can be written piece by piece in bounded memory overrides it; options are checked before it returns."""
        filename, content_type, content = self.render(report, **options)
        return filename, content_type, iter((content,))
