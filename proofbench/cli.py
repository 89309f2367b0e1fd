"""Stage 7, the command line: click commands that parse, call the library and map errors.

Every command is a thin layer over a library function. Errors are mapped inside click (so
click's CliRunner sees what a user sees): any ProofbenchError (bad input, a refused action)
becomes one line on stderr, ``proofbench: FILE[:LINE]: what is wrong``, and exit status 2; a
missing file reads the same everywhere (``FILE: no such file``). ``-`` names standard input
for a witness and standard output for ``-o``. ``--quiet`` leaves only the output itself: no
progress bars, no "wrote" lines.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from proofbench import __version__, blas, collector, memoized  # noqa: F401 (blas: before numpy)
from proofbench.errors import (
    FormatError,
    InputError,
    ManifestError,
    MissingFileError,
    ProofbenchError,
)
from proofbench.model import Manifest, Witness

STDIO = "-"
"""The file name that means standard input (a witness) or standard output (``-o``)."""
_ECHOED_LINES = 1000
"""``check`` writes its lines this many at a time: one ``click.echo`` per line cost a fifth of
a check's CPU that prints every word (War and Peace at ``--min-confidence 0``: 492,645 lines,
10.5 of 69.5 s profiled), and a thousand lines (about 100 kB) keep the output streaming."""


class Failure(click.ClickException):
    """A library error as click shows it: one line naming the file and place, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"proofbench: {self.message}", err=True)


class ProofbenchGroup(click.Group):
    """A group whose commands' library errors become ``Failure`` inside click."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProofbenchError as exc:
            raise Failure(str(exc)) from exc


def missing(path: str) -> MissingFileError:
    """The one error for a file that is not there (or is a folder), for every command."""
    p = Path(path)
    reason = "is a folder, not a file" if p.is_dir() else "no such file"
    return MissingFileError(reason, file=path)


class InputFile(click.ParamType[str, Any]):
    """A file that exists (a manifest, a key, a text); ``-`` too where ``stdin`` is allowed."""

    def __init__(self, name: str = "FILE", stdin: bool = False) -> None:
        self.name = name
        self.stdin = stdin

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if value == STDIO and self.stdin:
            return STDIO
        if not Path(value).is_file():
            raise missing(str(value))
        return str(value)


class ManifestPath(InputFile):
    """A manifest (``.toml``, or a CollateX JSON input file) that exists."""

    def __init__(self) -> None:
        super().__init__("MANIFEST")


MANIFEST = ManifestPath()


@click.group(cls=ProofbenchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="proofbench")
@click.option(
    "-q", "--quiet", is_flag=True, help="Print only the output: no progress bars, no notes."
)
@click.pass_context
def cli(ctx: click.Context, quiet: bool) -> None:
    """proofbench: collate witnesses of a text, classify their variants, review corrections.

    A MANIFEST is a TOML file naming the witnesses (see witnesses/letter.toml); its `target`
    is the witness being proofread, and without one the last witness listed is the target.
    A witness FILE may be `-` for standard input, and `-o -` writes to standard output.
    Exit status is 0 on success, 2 on bad input (one line on stderr names the file and place).
    """
    ctx.meta["proofbench.quiet"] = quiet


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("proofbench.quiet"))


def note(message: str) -> None:
    """A note for the user on stderr ("wrote ..."), unless --quiet."""
    if not _quiet():
        click.echo(message, err=True)


@contextmanager
def _stdin_file(path: str) -> Iterator[str]:
    """``path`` itself, or for ``-`` a file holding standard input, its errors named <stdin>."""
    if path != STDIO:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="proofbench-") as tmp:
        spool = Path(tmp) / "stdin"
        spool.write_bytes(sys.stdin.buffer.read())
        try:
            yield str(spool)
        except InputError as exc:
            if exc.file == str(spool):
                exc.file = "<stdin>"
            raise


def _load_one(file_or_siglum: str, manifest_path: str | None) -> tuple[Manifest, Witness]:
    """The witness named by a file path, or by a siglum of the given manifest, tokenized."""
    from proofbench.pipeline import load, load_witnesses, single_file_manifest

    if manifest_path is not None:
        manifest, witnesses = load(manifest_path)
        for w in witnesses:
            if w.siglum == file_or_siglum:
                return manifest, w
        sigla = ", ".join(w.siglum for w in witnesses)
        raise ManifestError(f"no witness {file_or_siglum!r} (sigla: {sigla})", file=manifest_path)
    from proofbench.witness.collatex import split_fragment

    if not Path(split_fragment(file_or_siglum)[0]).is_file():
        error = missing(file_or_siglum)
        error.message += " (to name a witness by siglum, give -m MANIFEST)"
        raise error
    manifest = single_file_manifest(file_or_siglum)
    return manifest, load_witnesses(manifest)[0]


def _warn(witnesses: Sequence[Witness]) -> None:
    """Each witness's loading warnings on stderr, one line each."""
    for w in witnesses:
        for warning in w.warnings:
            click.echo(f"proofbench: warning: {warning}", err=True)


def _store_beside(manifest: str) -> Path:
    """Where the review store of a manifest lives by default (review.store.default_db)."""
    path = Path(manifest)
    return path.with_name(path.stem + ".review.db")


def _inputs_of(manifest: str, store: str | None) -> list[Path]:
    """The files no output may replace: the manifest, its witness files, the review store."""
    from proofbench.output import manifest_inputs
    from proofbench.pipeline import manifest_for

    return manifest_inputs(manifest_for(manifest), store)


def _write_output(output: str, text: str, protected: list[Path]) -> None:
    """Write a command's text to -o OUTPUT (``-``: stdout), atomically, never over an input."""
    from proofbench.output import write_text

    write_text(output, text, protected)


def _progress(label: str) -> Callable[[int, int], None] | None:
    """A progress bar on stderr when it is a terminal (silent when piped, logged, --quiet).

    The bar ends its line when done reaches total, with the stage's time in seconds.
    """
    if not sys.stderr.isatty() or _quiet():
        return None
    started = time.monotonic()

    def report(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        over = done >= total
        took = f" {time.monotonic() - started:.1f} s" if over else ""
        click.echo(
            f"\r{label:<12} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{took}"
            + ("\n" if over else ""),
            nl=False,
            err=True,
        )

    return report


def _stages(stage: str) -> Callable[[int, int], None] | None:
    """A progress bar for each stage of the pipeline (loading ... classifying)."""
    return _progress(stage)


def _format_of(output: str | None, formats: dict[str, str], given: str | None, default: str) -> str:
    """The output format: --format, else the -o file's extension, else ``default`` for stdout.

    ``formats`` maps extensions (".txt") to format names. An extension it does not know is
    refused rather than written in some other format under a misleading name.
    """
    if given is not None:
        return given
    if output is None or output == STDIO:
        return default
    name = output.lower()
    for ext, fmt in formats.items():
        if name.endswith(ext):
            return fmt
    known = ", ".join(formats)
    raise FormatError(
        f"unknown output extension (known: {known}); or name the format with --format",
        file=output,
    )


@cli.command("witnesses")
@click.argument("manifest", type=MANIFEST)
def witnesses_cmd(manifest: str) -> None:
    """List the witnesses of MANIFEST with their counts.

    Columns: siglum, kind, date, derives from, files, text tokens, apparatus spans, pages, and
    mean OCR word confidence.
    """
    from proofbench.pipeline import load
    from proofbench.text.reading import outer_apparatus

    _, witnesses = load(manifest)
    _warn(witnesses)
    header = ("siglum", "kind", "date", "from", "files", "tokens", "apparatus", "pages", "conf")
    rows = [header]
    for w in witnesses:
        conf = w.mean_confidence
        rows.append(
            (
                w.siglum,
                w.kind.value,
                w.date or "-",
                w.derives_from or "-",
                ", ".join(Path(f).name for f in w.files),
                str(len(w.text_tokens)),
                str(len(outer_apparatus(w))),
                str(w.pages or "-"),
                f"{conf:.1f}" if conf is not None else "-",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        click.echo("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())


@cli.command("text")
@click.argument("file_or_siglum")
@click.option("-m", "--manifest", type=MANIFEST, help="Manifest in which to find a siglum.")
@click.option(
    "--apparatus/--no-apparatus",
    default=True,
    show_default=True,
    help="Show apparatus (heads, page numbers, web headers) set apart, or leave it out.",
)
def text_cmd(file_or_siglum: str, manifest: str | None, apparatus: bool) -> None:
    """Print the text of a witness as proofbench reads it.

    FILE_OR_SIGLUM is a witness file (any format; `-` for standard input), or a siglum with
    --manifest. Line-end hyphens are resolved as decided (see the tokens' hyphenation);
    apparatus is marked, never mixed in.
    """
    from proofbench.text.reading import segments

    if manifest is None:
        with _stdin_file(file_or_siglum) as path:
            _, witness = _load_one(path, None)
    else:
        _, witness = _load_one(file_or_siglum, manifest)
    _warn([witness])
    color = sys.stdout.isatty()
    out = []
    for piece, kind in segments(witness):
        if kind is None:
            out.append(piece)
        elif apparatus:
            out.append(
                click.style(f"⟦{kind.value}: {piece}⟧", dim=True)
                if color
                else f"⟦{kind.value}: {piece}⟧"
            )
    text = "".join(out)
    if not apparatus:
        text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip("\n") + "\n"
    click.echo(text, nl=not text.endswith("\n"))


# --- collate (render engineer fills in) ------------------------------------------------------
@cli.command("collate")
@click.argument("manifest", type=MANIFEST)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Output file; the format follows its extension. May be given several times.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "tei", "csv", "txt", "collatex"]),
    help="Output format, overriding the extension (collatex: CollateX's JSON alignment table).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    help="txt output: apply suggestions of at least this confidence "
    "(default: the judgement model's fitted threshold).",
)
@click.option(
    "--json-tokens",
    is_flag=True,
    help="json output: list each witness's words (t, n, offsets, page, box, confidence).",
)
@click.option(
    "--created",
    metavar="STAMP",
    help="Creation time to record (default: SOURCE_DATE_EPOCH, else now), for reproducible files.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes that may share the work (default: the CPUs this process may use); "
    "the output is the same however many.",
)
@collector.paused()
def collate_cmd(
    manifest: str,
    outputs: tuple[str, ...],
    fmt: str | None,
    min_confidence: float | None,
    json_tokens: bool,
    created: str | None,
    jobs: int | None,
) -> None:
    """Collate the witnesses of MANIFEST and write the report and exports.

    Each -o FILE takes its format from its extension (.html, .json, .tei.xml/.xml, .csv, .txt,
    .collatex.json) unless --format is given; `-o -` (or no -o) writes the --format (default
    json) to stdout. Every file is written atomically, and never over a witness file, the
    manifest or the review store. Without a `target` in the manifest, the last witness is the
    target.
    """
    import dataclasses

    from proofbench.output import check_destination, is_stdout
    from proofbench.pipeline import collate
    from proofbench.render import RENDERERS, RenderOptions, format_for_path, write

    protected = _inputs_of(manifest, str(_store_beside(manifest)))
    for out in outputs:  # refuse a bad extension or destination before the long work
        if fmt is None and not is_stdout(out):
            format_for_path(out)
        check_destination(out, protected)
    collation = collate(manifest, stages=_stages, jobs=jobs)
    memoized.release()  # the judgement's tables and caches: rendering needs none of them
    _warn(collation.witnesses)
    if created is not None:
        collation = dataclasses.replace(collation, created=created)
    # A review store beside the manifest: the report shows each variant's decision status.
    # The review package (SQLAlchemy) is imported only then: it is a second of start-up.
    decisions: dict[str, str] = {}
    if _store_beside(manifest).is_file():
        decisions = _review_package().decision_status(manifest, collation)
    options = RenderOptions(
        min_confidence=_threshold() if min_confidence is None else min_confidence,
        decisions=decisions,
        json_tokens=json_tokens,
    )
    files = tuple(out for out in outputs if not is_stdout(out))
    rendering = _progress("rendering")
    if not outputs or len(files) < len(outputs):
        click.echo(RENDERERS[fmt or "json"](collation, options), nl=False)
    for k, out in enumerate(files):
        if rendering is not None:
            rendering(k, len(files))
        for path, f in write(collation, [out], options, fmt, protected):
            if rendering is not None:
                rendering(k + 1, len(files))
            note(f"wrote {path} ({f})")


# --- check / evaluate (classify engineer fills in) --------------------------------------------
@cli.command("check")
@click.argument("file_or_siglum", metavar="FILE_OR_SIGLUM")
@click.option(
    "-m", "--manifest", type=MANIFEST, help="Manifest in which to find a siglum (or check it all)."
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Show only flags of at least this confidence (a probability of error for "
    "suspect words; default: the word model's calibrated threshold, and every other flag).",
)
@click.option(
    "--per-1000",
    "per_thousand",
    type=click.FloatRange(min=0.0),
    default=None,
    help="Also flag the words likeliest to be wrong, this many per 1,000 words of the witness, "
    "whatever their probability (a proofreader's budget for a clean text).",
)
@collector.paused()
def check_cmd(
    file_or_siglum: str,
    manifest: str | None,
    min_confidence: float | None,
    per_thousand: float | None,
) -> None:
    """Flag suspicious readings in a single witness.

    FILE_OR_SIGLUM is a witness file (any format; `-` for standard input), a siglum with
    --manifest, or a manifest (.toml), whose every witness is checked. One line per flag:
    FILE:LINE:COLUMN in the witness's own file (for OCR, the page's file), the check's name,
    the text, the suggestion and the reason. Exit status 0 whether or not anything is flagged.
    """
    from proofbench.classify import check
    from proofbench.classify.wordlists import from_manifest, using
    from proofbench.pipeline import load
    from proofbench.witness.place import Locator

    if manifest is None and file_or_siglum.lower().endswith(".toml"):
        manifest = MANIFEST.convert(file_or_siglum, None, None)
        spec, witnesses = load(manifest)
    elif manifest is not None:
        spec, one = _load_one(file_or_siglum, manifest)
        witnesses = (one,)
    else:
        with _stdin_file(file_or_siglum) as path:
            spec, one = _load_one(path, None)
            witnesses = (one,)
    _warn(witnesses)
    lists = from_manifest(spec)
    for witness in witnesses:
        locator = Locator(witness)
        with using(lists):
            flags = check(witness, min_confidence, per_thousand)
        lines: list[str] = []
        for flag in flags:
            at = locator.place(flag.start)
            if file_or_siglum == STDIO:
                where = f"<stdin>:{at.line}:{at.column}" if at else f"<stdin>:@{flag.start}"
            else:
                where = str(at) if at else f"{witness.files[0]}:@{flag.start}"
            fix = f" -> {flag.suggestion!r}" if flag.suggestion is not None else ""
            lines.append(
                f"{where}: {flag.check} {flag.text!r}{fix} ({flag.confidence:.2f}) {flag.message}"
            )
            if len(lines) == _ECHOED_LINES:
                click.echo("\n".join(lines))
                lines.clear()
        if lines:
            click.echo("\n".join(lines))


@cli.command("evaluate")
@click.argument("manifest", type=MANIFEST)
@click.argument("key", type=InputFile("KEY"))
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=SIGLUM",
    help="Map a key reading column to a witness (default: by the witness's date year).",
)
@click.option(
    "--truth",
    type=InputFile("TEXT"),
    help="Ground-truth text of an OCR witness, to measure OCR-error detection.",
)
@click.option("--ocr", "ocr_siglum", metavar="SIGLUM", help="The OCR witness --truth is for.")
@click.option("-v", "--verbose", is_flag=True, help="List each entry and each missed OCR error.")
def evaluate_cmd(
    manifest: str,
    key: str,
    maps: tuple[str, ...],
    truth: str | None,
    ocr_siglum: str | None,
    verbose: bool,
) -> None:
    """Measure the collation of MANIFEST against an answer KEY (JSON, like the letter's).

    Prints precision, recall, class agreement and suggestion accuracy; with --truth, the share
    of the OCR's word errors reported as variants and the share of those correctly suggested.
    """
    from proofbench.classify.evaluate import evaluate, format_report
    from proofbench.pipeline import collate

    mapping: dict[str, str] = {}
    for item in maps:
        column, sep, siglum = item.partition("=")
        if not sep or not column or not siglum:
            raise click.BadParameter(f"{item!r}: expected COLUMN=SIGLUM", param_hint="--map")
        mapping[column] = siglum
    collation = collate(manifest, stages=_stages)
    result = evaluate(collation, key, mapping or None, truth, ocr_siglum)
    click.echo(format_report(result, verbose=verbose), nl=False)


# --- review / users / apply / decisions (review engineer fills in) ---------------------------
@cli.command("review")
@click.argument("manifest", type=MANIFEST, required=False)
@click.option(
    "--db",
    metavar="PATH|URL",
    help="Review store: an SQLite file, or a postgresql:// URL "
    "(default: <manifest stem>.review.db beside the manifest).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
@click.option(
    "--archive",
    metavar="FOLDER",
    type=click.Path(file_okay=False),
    help="Review every document of the archive `proofbench archive` wrote to FOLDER in one "
    "queue (needs --db; decisions are filed under each document's id).",
)
def review_cmd(manifest: str | None, db: str | None, port: int, archive: str | None) -> None:
    """Start the local review web app for MANIFEST on 127.0.0.1 and print its URL.

    Proofreaders propose, editors decide; create accounts first with `proofbench users add`.
    Stop it with Ctrl-C: every decision acknowledged on a page is already in the store.
    With --archive FOLDER (instead of MANIFEST), one queue across the archive's documents.
    """
    if archive is not None or manifest is None:
        _review_archive(manifest, archive, db, port)
        return
    _review_package()  # one line naming the extra, if the review stack is not installed
    try:
        from proofbench.review.app import serve
    except ImportError as exc:  # the store's stack is there, the web app's (Flask) is not
        raise _missing_extra(exc) from exc
    from proofbench.review.store import default_db

    store = _review_store(manifest, db, create=True)
    desk = _desk(manifest, store)
    if not store.users():
        click.echo(
            "review: no accounts yet; create one with "
            f"`proofbench users add NAME --role admin --db {db or default_db(manifest)}`",
            err=True,
        )

    def announce(url: str) -> None:
        note(f"review: {len(desk.items)} items, store {store.display}")
        click.echo(url)
        sys.stdout.flush()

    try:
        serve(desk, "127.0.0.1", port, announce)
    except KeyboardInterrupt:
        pass
    finally:
        store.close()


def _desk(manifest: str, store: Any, scope: str | None = None) -> Any:
    """A review desk on the manifest's outline from the collation cache (recollated only if an
    input changed); the whole collation is read from the cache only when a page needs it."""
    from proofbench.cache import collate_cached
    from proofbench.review.desk import Desk
    from proofbench.review.outline import Outline, outline_of

    def outline(c: Any) -> Outline:
        return outline_of(c, keep_variants=False)

    found = collate_cached(manifest, views={"review": outline})
    if not found.hit:
        note(f"collated {manifest}; cached in {found.path}")
    view = found.view("review")
    if not isinstance(view, Outline):
        view = outline(found.collation)
    return Desk(view, store, scope, load=lambda: found.collation)


@cli.group("users")
def users_grp() -> None:
    """Manage reviewer accounts."""


_DB_HELP = "Review store: a file or a postgresql:// URL (default: beside the manifest)."
_SCOPE_HELP = (
    "The name the decisions are filed under in the store (default: the manifest's stem; "
    "a document reviewed with `review --archive`: its id in the archive index)."
)


def _review_store(manifest: str | None, db: str | None, create: bool = False) -> Any:
    """The review store named by --db, else the one beside --manifest; one of them is needed.

    A store file that is not there is an error unless ``create`` (only ``users add`` and
    ``review`` make one): reading never leaves an empty store behind, and a typo in --db is
    reported, not answered from a new empty store.
    """
    if db is None and manifest is None:
        raise click.UsageError("give --db PATH|URL or -m MANIFEST to name the review store")
    review = _review_package()
    path = db if db is not None else str(review.default_db(manifest))
    if "://" not in path and not create and not Path(path).is_file():
        raise MissingFileError(
            f"no such review store (`proofbench users add NAME --role admin --db {path}` "
            "creates one)",
            file=path,
        )
    return review.open_store(path)


def _missing_extra(exc: ImportError) -> Failure:
    """The one line for a review command whose stack (the [review] extra) is not installed."""
    return Failure(
        f"the review stack is not installed ({exc.name} is missing): "
        "pip install 'proofbench-workbench[review]'"
    )


def _threshold() -> float:
    """The fitted report threshold; classify (numpy, wordfreq, ftfy: most of a second) is
    imported only by the commands that use it, not by ``--help`` or ``witnesses``."""
    from proofbench.classify.weigh import apply_threshold

    return apply_threshold()


def _review_package() -> Any:
    """proofbench.review, or a one-line error naming the extra that installs its stack."""
    try:
        import proofbench.review as review
    except ImportError as exc:
        raise _missing_extra(exc) from exc
    return review


@users_grp.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["proofreader", "editor", "admin"]),
    required=True,
    help="proofreader proposes; editor decides; admin also manages accounts.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin's first line.")
@click.option("-m", "--manifest", type=MANIFEST, help="Use the store beside this manifest.")
@click.option("--db", help=_DB_HELP)
def users_add_cmd(
    name: str, role: str, password_stdin: bool, manifest: str | None, db: str | None
) -> None:
    """Create the reviewer account NAME (the password is asked for, or read from stdin).

    The store is created if it is not there yet (the first account is usually an admin).
    """
    store = _review_store(manifest, db, create=True)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = store.add_user(name, role, password)
    note(f"created {user.role} {user.name} in {store.display}")


@users_grp.command("list")
@click.option("-m", "--manifest", type=MANIFEST, help="Use the store beside this manifest.")
@click.option("--db", help=_DB_HELP)
def users_list_cmd(manifest: str | None, db: str | None) -> None:
    """List the reviewer accounts: name, role, created, by."""
    for u in _review_store(manifest, db).users():
        click.echo(f"{u.name}\t{u.role}\t{u.created_at}\t{u.created_by}")


@cli.command("apply")
@click.argument("manifest", type=MANIFEST)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Output file (a folder for an OCR witness of several files), written atomically, "
    "never over an input (default or `-`: stdout).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "tei", "hocr", "alto", "page"]),
    help="txt, TEI with <choice><sic/><corr/></choice>, or the target's own hOCR/ALTO/PAGE "
    "with the corrections written into its words (default: from the extension, else txt).",
)
@click.option("--db", help=_DB_HELP)
@click.option("--scope", metavar="NAME", help=_SCOPE_HELP)
def apply_cmd(
    manifest: str, output: str | None, fmt: str | None, db: str | None, scope: str | None
) -> None:
    """Write the target witness's text with the editors' accepted decisions applied.

    The format follows the -o file's extension (.txt; .xml or .tei for TEI) or --format; any
    other extension is refused. Without -o, or with -o -, the text goes to standard output.
    The OCR formats (hocr, alto, page) write the target's own OCR files, corrected, to -o FILE
    (one file) or -o FOLDER. No output is written over a witness, the manifest or the store.
    """
    fmt = _format_of(
        output, {".txt": "txt", ".xml": "tei", ".tei": "tei", ".hocr": "hocr"}, fmt, "txt"
    )
    from proofbench.cache import read_manifest  # the pipeline's stages are not imported
    from proofbench.output import check_destination, is_stdout, manifest_inputs

    parsed = read_manifest(manifest)
    protected = manifest_inputs(parsed, db or str(_store_beside(manifest)))
    review = _review_package()
    folder = output is not None and fmt in review.OCR_FORMATS and Path(output).is_dir()
    if output is not None and not folder:
        check_destination(output, protected)  # before the store is opened and the long work
    if output is not None and folder:  # the files it will write: the target's, into FOLDER
        for spec in parsed.witnesses:
            for src in spec.files:
                check_destination(str(Path(output) / Path(src).name), protected)
    store = _review_store(manifest, db)
    desk = _desk(manifest, store, scope)
    orphans = len(desk.orphans())
    extra = f"; {orphans} orphaned decisions wait for an editor" if orphans else ""
    accepted = len(desk.decided_readings())
    if fmt in review.OCR_FORMATS:
        _apply_ocr(desk, fmt, output, protected, f"{accepted} accepted{extra}")
        return
    text = review.APPLIERS[fmt](desk)
    if output is None or is_stdout(output):
        click.echo(text, nl=False)
        return
    _write_output(output, text, protected)
    note(f"wrote {output} ({fmt}, {accepted} accepted{extra})")


def _apply_ocr(
    desk: Any, fmt: str, output: str | None, protected: list[Path], summary: str
) -> None:
    """Write the target's OCR files corrected: to -o FILE (one file), -o FOLDER, or stdout."""
    from proofbench.output import check_destination, is_stdout, write_bytes

    result = _review_package().apply_ocr(desk, fmt)
    files = list(result.files.items())
    if output is not None and Path(output).is_dir():
        plan = [(str(Path(output) / Path(src).name), data) for src, data in files]
    elif len(files) == 1:
        plan = [(output or "-", files[0][1])]
    else:
        raise click.UsageError(
            f"the target has {len(files)} {fmt} files: give -o FOLDER to write them into"
        )
    for dest, _ in plan:
        check_destination(dest, protected)
    for dest, data in plan:
        write_bytes(dest, data, protected)
        if not is_stdout(dest):
            note(f"wrote {dest} ({fmt})")
    left = f"; {result.unplaced} fell on no OCR word and are left out" if result.unplaced else ""
    note(f"apply: {result.words} words corrected ({summary}){left}")


@cli.group("decisions")
def decisions_grp() -> None:
    """Export the decision log."""


@decisions_grp.command("export")
@click.argument("manifest", type=MANIFEST)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    help="csv or json (default: from the -o file's extension, else json).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Output file, written atomically, never over an input (default or `-`: stdout).",
)
@click.option("--db", help=_DB_HELP)
@click.option("--scope", metavar="NAME", help=_SCOPE_HELP)
def decisions_export_cmd(
    manifest: str, fmt: str | None, output: str | None, db: str | None, scope: str | None
) -> None:
    """Write the decision log of MANIFEST's review: every event, refused attempts included.

    The format follows the -o file's extension (.csv, .json) or --format; any other extension
    is refused.
    """
    fmt = _format_of(output, {".csv": "csv", ".json": "json"}, fmt, "json")
    from proofbench.cache import read_manifest  # the pipeline's stages are not imported
    from proofbench.output import manifest_inputs

    protected = manifest_inputs(read_manifest(manifest), db or str(_store_beside(manifest)))
    if output is not None:
        from proofbench.output import check_destination

        check_destination(output, protected)  # before the store is opened and the long work
    store = _review_store(manifest, db)
    _review_package()  # one line naming the extra, if missing
    from proofbench.review.export import EXPORTERS

    text = EXPORTERS[fmt](_desk(manifest, store, scope))
    if output is None or output == STDIO:
        click.echo(text, nl=False)
    else:
        _write_output(output, text, protected)


# --- archive (archive engineer) ---------------------------------------------------------------
def _review_archive(manifest: str | None, folder: str | None, db: str | None, port: int) -> None:
    """`review --archive FOLDER --db STORE`: one queue across an archive's documents."""
    if folder is None:
        raise click.UsageError("give MANIFEST, or --archive FOLDER to review a whole archive")
    if manifest is not None:
        raise click.UsageError("give MANIFEST or --archive FOLDER, not both")
    if db is None:
        raise click.UsageError(
            "--archive needs --db PATH|URL: the one store that holds every document's items"
        )
    _review_package()
    try:
        from proofbench.review.archive_app import serve_archive
    except ImportError as exc:
        raise _missing_extra(exc) from exc
    from proofbench.cache import collate_cached
    from proofbench.review.archive_queue import ArchiveQueue, read_archive

    documents, failed = read_archive(folder)
    store = _review_store(None, db, create=True)
    queue = ArchiveQueue(store, documents, lambda m: collate_cached(m).collation)
    if failed:
        note(f"review: {len(failed)} documents of the archive failed to collate and are left out")
    stale = len(queue.stale())
    if stale:
        note(f"review: reading the items of {stale} new or changed documents")
    queue.index(_progress("documents"))
    for doc_id, why in sorted(queue.unreadable.items()):
        click.echo(f"proofbench: {doc_id}: {why} (its items are left as they were)", err=True)
    if not store.users():
        click.echo(
            f"review: no accounts yet; create one with `proofbench users add NAME --role admin "
            f"--db {db}`",
            err=True,
        )

    def announce(url: str) -> None:
        p = queue.progress()
        note(f"review: {p.total} items in {p.documents} documents, store {store.display}")
        click.echo(url)
        sys.stdout.flush()

    try:
        serve_archive(queue, "127.0.0.1", port, announce)
    except KeyboardInterrupt:
        pass
    finally:
        store.close()


@cli.command("archive")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False),
    help="Output folder: reports/ and index.html, index.json, index.csv.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["html", "json", "tei", "csv", "txt"]),
    help="Report format of each document (default: html). May be given several times.",
)
@click.option("--serial", is_flag=True, help="Collate in this process, one after another.")
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="An existing Dask scheduler (default: the Dask configuration's, else a LocalCluster).",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    help="Worker processes of the LocalCluster (default: one per core).",
)
@click.option("--force", is_flag=True, help="Collate every document, changed or not.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    help="txt reports: apply suggestions of at least this confidence "
    "(default: the judgement model's fitted threshold).",
)
@click.option(
    "--created",
    metavar="STAMP",
    help="Creation time to record (default: SOURCE_DATE_EPOCH, else now), for reproducible files.",
)
def archive_cmd(
    sources: tuple[str, ...],
    outdir: str,
    formats: tuple[str, ...],
    serial: bool,
    scheduler: str | None,
    workers: int | None,
    force: bool,
    min_confidence: float | None,
    created: str | None,
) -> None:
    """Collate every document of an archive and write one index linking to each report.

    SOURCES: a folder (every manifest .toml below it), manifests, or an index of documents
    (.csv with a 'manifest' column, or .toml with [[document]] tables; other columns are tags).
    Each document is a Dask task: on a LocalCluster by default, on --scheduler's cluster (whose
    workers must see the same files), or here with --serial; the outputs are the same byte for
    byte. A re-run collates only documents whose files changed. A document that fails is listed
    in the index with its one-line error, and the others go on; exit status 2 if any failed.
    """
    from proofbench.archive import Cluster, Settings, run_archive

    if serial and (scheduler or workers):
        raise click.UsageError("--serial runs here: it takes no --scheduler or --workers")
    if not serial:
        try:
            import dask.config
            import distributed  # noqa: F401  (the runner's; checked here for one clear line)
        except ImportError as exc:
            raise Failure(
                f"archive: Dask is not installed ({exc.name} is missing): "
                "pip install 'proofbench-workbench[archive]', or run with --serial"
            ) from exc
        if scheduler is None:
            scheduler = dask.config.get("scheduler-address", None)
    settings = Settings(
        formats=formats or ("html",),
        min_confidence=_threshold() if min_confidence is None else min_confidence,
        created=created,
    )
    cluster = None if serial else Cluster(scheduler=scheduler, workers=workers)
    bar = _progress("documents")

    def progress(done: int, total: int, outcome: Any) -> None:
        if bar is not None:
            bar(done, total)

    try:
        result = run_archive(sources, outdir, settings, cluster, progress, force=force)
    except OSError as exc:  # the scheduler cannot be reached, the output folder cannot be made
        raise click.ClickException(f"archive: {exc}") from None
    for outcome in result.failed:
        click.echo(f"proofbench: {outcome.row['id']}: {outcome.row['error']}", err=True)
    done = len(result.outcomes)
    click.echo(
        f"archive: {done} documents, {done - result.reused - len(result.failed)} collated, "
        f"{result.reused} unchanged, {len(result.failed)} failed; wrote {result.index[-1]}",
        err=True,
    )
    if result.failed:
        sys.exit(2)


def main() -> None:
    """Entry point: run the CLI (library errors are mapped inside the group; see Failure)."""
    collector.skip_at_exit()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        # One line, as for every bad input: click's own form (usage, hint, error) spans four.
        message = " ".join(exc.format_message().split())
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        click.echo(f"proofbench: {message}{hint}", err=True)
        sys.exit(2 if isinstance(exc, click.UsageError | click.BadParameter) else exc.exit_code)
    except ProofbenchError as exc:
        click.echo(f"proofbench: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
