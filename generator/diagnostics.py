"""Problems found in sources, reported as ``path:line: field: message`` in Vietnamese."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

# What must never reach a terminal raw from a file name or a value: controls (ESC starts terminal
# commands, a line break forges a "path:line:" diagnostic), bidi overrides and isolates (RLO reverses
# what is shown) and the Unicode line separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every character above shown as an escape (``\\x1b``, ``\\n``, ``\\u202e``)."""
    def shown(match: re.Match[str]) -> str:
        char = match.group(0)
        if keep_newlines and char == "\n":
            return char
        code = ord(char)
        return {9: "\\t", 10: "\\n", 13: "\\r"}.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return _UNPRINTABLE.sub(shown, text)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        prefix = "cảnh báo: " if self.severity is Severity.WARNING else ""
        return printable(f"{self.path}:{self.line}: {self.field}: {prefix}{self.message}")


@dataclass
class Diagnostics:
    """Collects every problem of a run so that all are reported at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, field_name: str, message: str) -> None:
        self.items.append(Diagnostic(path, line, field_name, message, Severity.ERROR))

    def warning(self, path: str, line: int, field_name: str, message: str) -> None:
        self.items.append(Diagnostic(path, line, field_name, message, Severity.WARNING))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.field, d.message))


class CoursegenError(Exception):
    """An error the user can act on; the CLI prints its message and exits non-zero."""


class SourceError(CoursegenError):
    """Sources failed validation; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))
