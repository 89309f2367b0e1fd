"""Manifest files (TOML) -> Manifest: the collation's title, target and witnesses, validated.

Paths in a manifest are relative to the manifest's folder. Every problem is a ManifestError
naming the manifest (and the line, for TOML syntax errors): unknown keys, missing keys, duplicate
sigla, an unknown ``derives_from``, a cycle in ``derives_from``, a target that is no witness.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from proofbench.errors import ManifestError
from proofbench.model import Kind, Manifest, WitnessSpec
from proofbench.witness.decode import read_text

_COLLATION_KEYS = {
    "title", "target", "profile", "normalize", "typographic", "good_words", "bad_words", "scannos",
}  # fmt: skip
_NORMALIZE_KEYS = {"rules", "replace"}
_WITNESS_KEYS = {
    "siglum", "label", "kind", "date", "derives_from", "file", "files", "format", "encoding",
    "apparatus", "images", "wit", "normalize", "level",
}  # fmt: skip
_APPARATUS_KEYS = {"selectors", "patterns", "blocks"}
_TOML_PLACE = re.compile(r" \(at line (\d+), column (\d+)\)$")
_SIGLUM = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")


def _unknown(keys: set[str], allowed: set[str], where: str, path: str) -> None:
    extra = sorted(keys - allowed)
    if extra:
        raise ManifestError(
            f"unknown key{'s' if len(extra) > 1 else ''} {', '.join(extra)} in {where} "
            f"(allowed: {', '.join(sorted(allowed))})",
            file=path,
        )


def _strings(value: Any, what: str, path: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ManifestError(f"{what} must be a string or a list of strings", file=path)


Rules = tuple[tuple[str, ...], tuple[tuple[str, str], ...]]


def _rules(value: Any, where: str, path: str) -> Rules:
    """A ``normalize`` table: rule or profile names, and (pattern, replacement) pairs."""
    if not isinstance(value, dict):
        raise ManifestError(f"{where}: normalize must be a table (rules, replace)", file=path)
    _unknown(set(value), _NORMALIZE_KEYS, f"{where}.normalize", path)
    names = _strings(value.get("rules", []), f"{where}: normalize.rules", path)
    pairs: list[tuple[str, str]] = []
    items = value.get("replace", [])
    for item in items if isinstance(items, list) else [None]:
        if isinstance(item, dict) and set(item) == {"pattern", "replacement"}:
            item = [item["pattern"], item["replacement"]]
        strings = isinstance(item, list) and all(isinstance(x, str) for x in item)
        if not (strings and isinstance(item, list) and len(item) == 2):
            raise ManifestError(
                f"{where}: each normalize.replace is {{ pattern = ..., replacement = ... }}",
                file=path,
            )
        pairs.append((str(item[0]), str(item[1])))
    return names, tuple(pairs)


def _blocks(value: Any, where: str, path: str) -> tuple[tuple[str, str], ...]:
    """``apparatus.blocks``: a list of ``{ start = ..., end = ... }`` tables."""
    out = []
    for item in value if isinstance(value, list) else [None]:
        if not (
            isinstance(item, dict)
            and set(item) == {"start", "end"}
            and all(isinstance(v, str) for v in item.values())
        ):
            raise ManifestError(
                f"{where}: each apparatus.blocks is {{ start = ..., end = ... }}", file=path
            )
        out.append((str(item["start"]), str(item["end"])))
    return tuple(out)


def _witness(entry: Any, number: int, base: Path, path: str) -> WitnessSpec:
    where = f"[[witness]] #{number}"
    if not isinstance(entry, dict):
        raise ManifestError(f"{where} must be a table", file=path)
    _unknown(set(entry), _WITNESS_KEYS, where, path)
    siglum = entry.get("siglum")
    if not isinstance(siglum, str) or not _SIGLUM.match(siglum):
        raise ManifestError(
            f"{where}: siglum must be a short name of letters, digits, '_', '.' or '-'", file=path
        )
    where = f"witness {siglum}"
    if "file" in entry and "files" in entry:
        raise ManifestError(f"{where}: give either file or files, not both", file=path)
    raw = entry.get("files", entry.get("file"))
    if raw is None:
        raise ManifestError(f"{where}: no file", file=path)
    files = tuple(str(base / f) for f in _strings(raw, f"{where}: files", path))
    if not files:
        raise ManifestError(f"{where}: no file", file=path)
    kind_name = entry.get("kind", "transcription")
    try:
        kind = Kind(kind_name)
    except ValueError:
        allowed = ", ".join(k.value for k in Kind)
        raise ManifestError(
            f"{where}: unknown kind {kind_name!r} (one of {allowed})", file=path
        ) from None
    rules, replacements = _rules(entry.get("normalize", {}), where, path)
    apparatus = entry.get("apparatus", {})
    if not isinstance(apparatus, dict):
        raise ManifestError(f"{where}: apparatus must be a table", file=path)
    _unknown(set(apparatus), _APPARATUS_KEYS, f"{where}.apparatus", path)
    for key in ("label", "date", "derives_from", "format", "encoding", "wit", "level"):
        if key in entry and not isinstance(entry[key], str):
            raise ManifestError(f"{where}: {key} must be a string", file=path)
    return WitnessSpec(
        siglum=siglum,
        files=files,
        label=entry.get("label", ""),
        kind=kind,
        date=entry.get("date", ""),
        derives_from=entry.get("derives_from"),
        format=entry.get("format"),
        encoding=entry.get("encoding"),
        apparatus_selectors=_strings(apparatus.get("selectors", []), f"{where}: selectors", path),
        apparatus_patterns=_strings(apparatus.get("patterns", []), f"{where}: patterns", path),
        apparatus_blocks=_blocks(apparatus.get("blocks", []), where, path),
        wit=entry.get("wit"),
        level=entry.get("level"),
        rules=rules,
        replacements=replacements,
        images=tuple(
            str(base / i) for i in _strings(entry.get("images", []), f"{where}: images", path)
        ),
    )


def _check_genealogy(specs: tuple[WitnessSpec, ...], path: str) -> None:
    sigla = {s.siglum for s in specs}
    parent = {s.siglum: s.derives_from for s in specs}
    for s in specs:
        if s.derives_from is not None and s.derives_from not in sigla:
            raise ManifestError(
                f"witness {s.siglum} derives_from {s.derives_from!r}, which is no witness",
                file=path,
            )
    for s in specs:
        seen = [s.siglum]
        node = parent[s.siglum]
        while node is not None:
            if node in seen:
                chain = " -> ".join([*seen, node])
                raise ManifestError(f"derives_from forms a cycle: {chain}", file=path)
            seen.append(node)
            node = parent[node]


def parse_manifest(text: str, path: str) -> Manifest:
    """Parse manifest TOML text read from ``path``; raises ManifestError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", str(exc))
        place = _TOML_PLACE.search(msg)
        if place:  # before Python 3.14 the place is only in the message
            line = line or int(place.group(1))
            msg = f"{msg[: place.start()]} (column {place.group(2)})"
        raise ManifestError(f"malformed TOML: {msg}", file=path, line=line) from None
    _unknown(set(data), {"collation", "witness"}, "the manifest", path)
    collation = data.get("collation", {})
    if not isinstance(collation, dict):
        raise ManifestError("[collation] must be a table", file=path)
    _unknown(set(collation), _COLLATION_KEYS, "[collation]", path)
    entries = data.get("witness", [])
    if not isinstance(entries, list) or not entries:
        raise ManifestError("the manifest lists no [[witness]]", file=path)
    base = Path(path).parent
    specs = tuple(_witness(e, i, base, path) for i, e in enumerate(entries, start=1))
    seen: set[str] = set()
    for s in specs:
        if s.siglum in seen:
            raise ManifestError(f"duplicate siglum {s.siglum!r}", file=path)
        seen.add(s.siglum)
    _check_genealogy(specs, path)
    target = collation.get("target")
    if target is not None and target not in seen:
        raise ManifestError(f"target {target!r} is no witness of the manifest", file=path)
    title = collation.get("title", Path(path).stem)
    if not isinstance(title, str):
        raise ManifestError("title must be a string", file=path)
    profiles = _strings(collation.get("profile", "default"), "[collation] profile", path)
    if not profiles:
        raise ManifestError("[collation] profile names no profile", file=path)
    names, pairs = _rules(collation.get("normalize", {}), "[collation]", path)
    typographic = collation.get("typographic", False)
    if not isinstance(typographic, bool):
        raise ManifestError("[collation] typographic must be true or false", file=path)
    scannos = collation.get("scannos")
    if scannos is not None and not isinstance(scannos, str):
        raise ManifestError("[collation] scannos must be a file path", file=path)
    return Manifest(
        path=path,
        title=title,
        witnesses=specs,
        target=target,
        profile=profiles[0],
        rules=(*profiles[1:], *names),
        replacements=pairs,
        typographic=typographic,
        good_words=_word_list(collation.get("good_words", []), "good_words", base, path),
        bad_words=_word_list(collation.get("bad_words", []), "bad_words", base, path),
        scanno_list=str(base / Path(scannos).expanduser()) if scannos is not None else None,
    )


def _word_list(value: Any, key: str, base: Path, path: str) -> tuple[str, ...]:
    """A word list given inline (a list of strings) or as a file (one word a line, ``#``
    comments), relative to the manifest."""
    if isinstance(value, str):
        text, _ = read_text(base / value)
        lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
        return tuple(w for w in lines if w)
    return _strings(value, f"[collation] {key}", path)


def load_manifest(path: str | Path) -> Manifest:
    """Read and parse a manifest file; raises MissingFileError, EncodingError or ManifestError."""
    text, _ = read_text(path)
    return parse_manifest(text, str(path))


def single_file_manifest(path: str | Path, siglum: str = "A") -> Manifest:
    """A manifest of one witness read from one file (for ``check`` and ``text`` on a file)."""
    spec = WitnessSpec(siglum=siglum, files=(str(path),), label=Path(path).name)
    return Manifest(path=str(path), title=Path(path).name, witnesses=(spec,), target=siglum)
