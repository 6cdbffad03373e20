"""The staff guides (docs/staff-guide.fi.md, docs/staff-guide.sv.md) name every button and link in bold exactly as
the interface names it in that language: each bold text is a translation in the language's catalogue."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "arvio" / "locale"
# Words of the interface that are not translations: the language buttons and the preview's links, which name each
# language in itself.
NOT_TRANSLATED = {"Suomi", "Svenska", "English", "suomeksi", "på svenska"}


def _strings(language: str) -> list[str]:
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as file:
        catalog = read_po(file)
    strings = []
    for message in catalog:
        strings += [message.string] if isinstance(message.string, str) else list(message.string)
    return [string for string in strings if string]


def _pattern(bold: str) -> re.Pattern:
    """A bold text as a catalogue string matches it: "…" in the guide stands for a number or a name, and a
    sentence's final stop may be the guide's own."""
    parts = [re.escape(part) for part in re.split(r"(?<= )…", bold.rstrip("."))]
    return re.compile("^" + r"%\(\w+\)[sd]".join(parts) + r"\.?$")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_names_every_button_and_link_as_the_interface_does(language):
    guide = (ROOT / "docs" / f"staff-guide.{language}.md").read_text(encoding="utf-8")
    strings = _strings(language)
    bold = set(re.findall(r"\*\*(.+?)\*\*", guide, re.DOTALL))
    assert len(bold) > 60
    unknown = []
    for text in sorted(bold):
        text = " ".join(text.split())
        if text in NOT_TRANSLATED:
            continue
        pattern = _pattern(text)
        if not any(pattern.match(string) for string in strings):
            unknown.append(text)
    assert unknown == [], unknown
