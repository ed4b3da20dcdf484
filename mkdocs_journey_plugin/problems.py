"""Problems found in content: where they are and what is wrong, in one printable line; and
`Source`, which knows the line and column of every node of a file, to place them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Loc = tuple[str | int, ...]  # where a node is in a document's data: keys and list positions
Marks = dict[Loc, tuple[int, int]]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class Source:
    """Where a document came from, and the line and column of each of its nodes (`values`) and
    of each mapping key (`keys`)."""

    def __init__(self, path: str, values: Marks | None = None, keys: Marks | None = None):
        self.path = path
        self._marks: tuple[Marks, Marks] | None = (values if values is not None else {},
                                                   keys if keys is not None else {})
        self._later: Callable[[], tuple[Marks, Marks]] | None = None

    # A file taken from the cache had no problems, so its marks matter only if a reference to
    # another file breaks: they are found again from its text then, and never stored (decoding
    # stored marks would be half the time of reading cached journeys back, and a cache then
    # holds no marks that could point elsewhere than the file does).
    @classmethod
    def later(cls, path: str, marks: Callable[[], tuple[Marks, Marks]]) -> Source:
        """A source whose marks come from `marks()` when first asked for."""
        source = cls(path)
        source._marks, source._later = None, marks
        return source

    @property
    def values(self) -> Marks:
        return self._found()[0]

    @property
    def keys(self) -> Marks:
        return self._found()[1]

    def _found(self) -> tuple[Marks, Marks]:
        if self._marks is None:
            assert self._later is not None
            self._marks, self._later = self._later(), None
        return self._marks

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Source):
            return NotImplemented
        return (self.path, self._found()) == (other.path, other._found())

    __hash__ = None  # type: ignore[assignment]  # mutable: marks are noted as a file is read

    def __repr__(self) -> str:
        return f"Source({self.path!r})"

    def at(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        """A problem about the node at `loc` (its key when `key`), or its nearest known parent."""
        marks = self.keys if key and loc in self.keys else self.values
        while loc and loc not in marks:
            loc = loc[:-1]
            marks = self.values
        line, column = marks.get(loc, (1, 1))
        return Problem(self.path, line, column, message)

    def line_of(self, loc: Loc) -> int:
        return self.at(loc, "").line
