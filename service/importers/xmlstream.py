"""Reading an XML export safely and in bounded memory: one record element at a time, with its line.

defusedxml refuses entity declarations (no entity bombs, nothing read from disk or network);
every parse problem becomes one `BadImportFile` sentence naming the line.
"""

import os
from collections.abc import Callable, Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from ..errors import ApiError


class BadImportFile(ApiError):
    """A file that cannot be imported: the message says what is wrong and where."""

    def __init__(self, message):
        super().__init__("bad_request", message)


class _LineRecorder:
    """A parser target (ElementTree's documented TreeBuilder, wrapped) that remembers the line each
    element starts on, for messages about it. The line comes from the expat parser that the
    pure-Python XMLParser, which defusedxml extends, keeps as `.parser`; tests/test_import_safety.py
    fails if that changes, as every message would lose its line."""

    def __init__(self) -> None:
        self.builder = TreeBuilder()
        self.lines: dict[Element, int] = {}
        self.expat: Any = None  # pyexpat's parser, set once the XMLParser is made

    def start(self, tag, attrib):
        element = self.builder.start(tag, attrib)
        self.lines[element] = self.expat.CurrentLineNumber
        return element

    def end(self, tag):
        return self.builder.end(tag)

    def data(self, data):
        self.builder.data(data)

    def close(self):
        return self.builder.close()


def local_name(tag):
    return tag.rpartition("}")[2]


def records(path: str | os.PathLike[str], expected_root: Callable[[str], bool], record_depth: int,
            progress: Callable[[int], None] | None = None) -> Iterator[tuple[Element, int | None]]:
    """Yield `(element, line)` for each complete element `record_depth` levels below the root.

    `expected_root(tag)` says whether the file is of the right kind; a record is dropped from
    memory as soon as the caller is done with it. `progress(n)` is told how many bytes were read.
    """
    recorder = _LineRecorder()
    parser = DefusedXMLParser(target=recorder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    recorder.expat = parser.parser
    open_elements: list[Element] = []
    with open(path, "rb") as raw:
        source = _CountingReader(raw, progress)
        try:
            for event, element in iterparse(source, events=("start", "end"), parser=parser):
                if event == "start":
                    if not open_elements and not expected_root(element.tag):
                        raise BadImportFile(f"{path}: the root element is <{local_name(element.tag)}>, "
                                            "so this is not the kind of export expected.")
                    open_elements.append(element)
                    continue
                open_elements.pop()
                line = recorder.lines.pop(element, None)
                if len(open_elements) == record_depth:
                    yield element, line
                    open_elements[-1].remove(element)
        except ParseError as error:
            reason = str(error).split(": line")[0].removeprefix("not well-formed (").removesuffix(")")
            raise BadImportFile(f"{path}: not well-formed XML at line {error.position[0]}, "
                                f"column {error.position[1]}: {reason}.") from None
        except DefusedXmlException as error:
            raise BadImportFile(f"{path}: refused at line {parser.parser.CurrentLineNumber}: {_why(error)}") from None


def _why(error):
    name = getattr(error, "name", None)
    if name:
        return (f"the file declares the entity {name!r}; entities can read local files or exhaust memory, "
                "so they are never expanded.")
    return "the file refers to an external resource, which is never fetched."


class _CountingReader:
    """A file wrapper that reports how far the parser has read, for the progress bar."""

    def __init__(self, raw, progress):
        self.raw, self.progress = raw, progress

    def read(self, size=-1):
        chunk = self.raw.read(size)
        if self.progress:
            self.progress(len(chunk))
        return chunk


def text_of(element, default=""):
    """An element's text with surrounding whitespace removed, or `default` when it is absent or empty."""
    if element is None or element.text is None:
        return default
    return element.text.strip() or default
