"""What a downloadable document holds, whatever it is written as: the masthead of a UN document (symbol or
reference, date, original language, distribution, notice) and its body as headed sections of paragraphs."""

from dataclasses import dataclass, field

@dataclass
class Section:
    """A heading (may be empty) and its paragraphs, in ``language`` (``None``: the document's)."""

    heading: str
    paragraphs: list
    language: str = None


@dataclass
class Document:
    """A document ready to be written: every string already translated for ``language`` (the language the
    masthead is written in) except the sections, which keep the language they were written in."""

    title: str
    language: str
    direction: str
    symbol: str  # the document's symbol (a decision's), else the portal's reference of the resource
    date: str  # as ``language`` writes dates
    original: str  # "Original: French", as the masthead writes it (``masthead.py``)
    distribution: str  # masthead.GENERAL or masthead.RESTRICTED
    distribution_label: str
    filename: str  # without extension, ASCII
    masthead_language: str = "en"  # the language of the symbol and the masthead (``masthead.py``)
    version: str = ""  # the version's own language ("Français"), when it is a translation
    subtitle: str = ""
    notice: str = ""  # "for information purposes only" and the like
    sections: list = field(default_factory=list)
    labels: dict = field(default_factory=dict)  # "page": the word before page numbers, in ``language``

    def text_lines(self):
        """Every line of the document's text, in reading order (what a reader and ``pdftotext`` should find)."""
        lines = [self.symbol, self.distribution_label, self.date, self.version, self.original, self.title,
                 self.subtitle, self.notice]
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(section.paragraphs)
        return [line for line in lines if line]
