"""One exception tree for everything proofbench refuses.

ProofbenchError                 anything proofbench reports as one line, exit status 2
├── InputError                  bad input: carries the file and, where known, the place
│   ├── MissingFileError        a file that is not there or cannot be read
│   ├── EncodingError           bytes that do not decode (carries the byte offset)
│   ├── FormatError             unknown format, binary file, malformed XML/HTML/JSON
│   ├── EmptyWitnessError       a witness with no text at all
│   └── ManifestError           unknown keys, duplicate sigla, bad derives_from, bad target
└── StoreError                  the review store refuses an action
    ├── StaleDecisionError      another reviewer decided first
    └── PermissionDeniedError   the role may not do that
"""

from __future__ import annotations


class ProofbenchError(Exception):
    """Base class: an error that the CLI shows as one line."""


class InputError(ProofbenchError):
    """Bad input, located: ``file``, and ``line`` or ``offset`` where known."""

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        offset: int | None = None,
    ) -> None:
        # One line is the promise: a parser's or a library's message may span several.
        self.message = " ".join(message.split()) if "\n" in message or "\r" in message else message
        self.file = file
        self.line = line
        self.offset = offset
        super().__init__(str(self))

    def __str__(self) -> str:
        place = self.file or "<input>"
        if self.line is not None:
            place += f":{self.line}"
        if self.offset is not None:
            place += f" (byte {self.offset})"
        return f"{place}: {self.message}"


class MissingFileError(InputError):
    """A file that does not exist or cannot be read."""


class EncodingError(InputError):
    """Bytes that do not decode in the encoding in force."""


class FormatError(InputError):
    """Content of an unknown format, binary, or malformed for its format."""


class EmptyWitnessError(InputError):
    """A witness whose files hold no text."""


class ManifestError(InputError):
    """A manifest that is malformed or inconsistent."""


class StoreError(ProofbenchError):
    """The review store refused an action."""


class StaleDecisionError(StoreError):
    """The decision was taken on a state another reviewer has since changed."""


class PermissionDeniedError(StoreError):
    """The user's role does not allow the action."""
