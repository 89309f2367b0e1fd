"""Stage 7, the command line: click commands that parse, call the library and map errors.

Every command is a thin layer over a library function. Any ProofbenchError (bad input, a refused
action) becomes one line on stderr naming the file and place, and exit status 2.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from proofbench import __version__
from proofbench.errors import ManifestError, MissingFileError, ProofbenchError
from proofbench.model import Manifest, Witness


class ManifestPath(click.ParamType[str, Any]):
    """A manifest (``.toml``, or a CollateX JSON input file) that exists."""

    name = "MANIFEST"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        path = Path(value)
        if not path.is_file():
            # Bad input like any other: one line naming the file, exit status 2.
            reason = "is a folder, not a file" if path.is_dir() else "no such manifest"
            raise MissingFileError(reason, file=str(value))
        return str(path)


MANIFEST = ManifestPath()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="proofbench")
def cli() -> None:
    """proofbench: collate witnesses of a text, classify their variants, review corrections.

    A MANIFEST is a TOML file naming the witnesses (see witnesses/letter.toml). Exit status is
    0 on success, 2 on bad input (one line on stderr names the file and place).
    """


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

    if not Path(split_fragment(file_or_siglum)[0]).exists():
        raise MissingFileError(
            "no such file (to name a witness by siglum, give --manifest)", file=file_or_siglum
        )
    manifest = single_file_manifest(file_or_siglum)
    return manifest, load_witnesses(manifest)[0]


def _store_beside(manifest: str) -> Path:
    """Where the review store of a manifest lives by default (review.store.default_db)."""
    path = Path(manifest)
    return path.with_name(path.stem + ".review.db")


def _progress(label: str) -> Callable[[int, int], None] | None:
    """A progress reporter on stderr when it is a terminal (quiet when piped or logged)."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        click.echo(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}",
            nl=False,
            err=True,
        )

    return report


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

    FILE_OR_SIGLUM is a witness file (any format), or a siglum with --manifest. Line-end hyphens
    are resolved as decided (see the tokens' hyphenation); apparatus is marked, never mixed in.
    """
    from proofbench.text.reading import segments

    _, witness = _load_one(file_or_siglum, manifest)
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
    type=click.Choice(["html", "json", "tei", "csv", "txt"]),
    help="Output format, overriding the extension.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.8,
    show_default=True,
    help="txt output: apply suggestions of at least this confidence.",
)
@click.option(
    "--created",
    metavar="STAMP",
    help="Creation time to record (default: SOURCE_DATE_EPOCH, else now), for reproducible files.",
)
def collate_cmd(
    manifest: str,
    outputs: tuple[str, ...],
    fmt: str | None,
    min_confidence: float,
    created: str | None,
) -> None:
    """Collate the witnesses of MANIFEST and write the report and exports.

    Each -o FILE takes its format from its extension (.html, .json, .tei.xml/.xml, .csv, .txt)
    unless --format is given. Without -o, the --format (default json) goes to stdout.
    """
    import dataclasses

    from proofbench.pipeline import collate
    from proofbench.render import RENDERERS, RenderOptions, format_for_path, write

    if outputs and fmt is None:
        for out in outputs:
            format_for_path(out)  # refuse a bad extension before the long work
    collation = collate(manifest, progress=_progress("aligning"))
    if created is not None:
        collation = dataclasses.replace(collation, created=created)
    # A review store beside the manifest: the report shows each variant's decision status.
    # The review package (SQLAlchemy) is imported only then: it is a second of start-up.
    decisions: dict[str, str] = {}
    if _store_beside(manifest).is_file():
        from proofbench.review import decision_status

        decisions = decision_status(manifest, collation)
    options = RenderOptions(min_confidence=min_confidence, decisions=decisions)
    if not outputs:
        click.echo(RENDERERS[fmt or "json"](collation, options), nl=False)
        return
    for path, f in write(collation, outputs, options, fmt):
        click.echo(f"wrote {path} ({f})", err=True)


# --- check / evaluate (classify engineer fills in) --------------------------------------------
@cli.command("check")
@click.argument("file")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Show only flags of at least this confidence.",
)
def check_cmd(file: str, min_confidence: float) -> None:
    """Flag suspicious readings in a single witness FILE (the whole file is text).

    One line per flag: line:column, the check's name, the text, the suggestion and the reason.
    Exit status 0 whether or not anything is flagged.
    """
    from proofbench.classify import check
    from proofbench.pipeline import load_witnesses, single_file_manifest

    if not Path(file).exists():
        raise click.UsageError(f"{file}: no such file")
    witness = load_witnesses(single_file_manifest(file))[0]
    for flag in check(witness):
        if flag.confidence < min_confidence:
            continue
        line = witness.text.count("\n", 0, flag.start) + 1
        col = flag.start - (witness.text.rfind("\n", 0, flag.start) + 1) + 1
        # Line and column are the file's own only for plain text; otherwise name the offset
        # into the extracted text (what `proofbench text FILE` prints).
        where = f"{line}:{col}" if witness.format == "text" else f"@{flag.start}"
        fix = f" -> {flag.suggestion!r}" if flag.suggestion is not None else ""
        click.echo(
            f"{file}:{where}: {flag.check} {flag.text!r}{fix} "
            f"({flag.confidence:.2f}) {flag.message}"
        )


@cli.command("evaluate")
@click.argument("manifest", type=MANIFEST)
@click.argument("key", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=SIGLUM",
    help="Map a key reading column to a witness (default: by the witness's date year).",
)
@click.option(
    "--truth",
    type=click.Path(exists=True, dir_okay=False),
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
    collation = collate(manifest)
    result = evaluate(collation, key, mapping or None, truth, ocr_siglum)
    click.echo(format_report(result, verbose=verbose), nl=False)


# --- review / users / apply / decisions (review engineer fills in) ---------------------------
@cli.command("review")
@click.argument("manifest", type=MANIFEST)
@click.option(
    "--db",
    metavar="PATH|URL",
    help="Review store: an SQLite file, or a postgresql:// URL "
    "(default: <manifest stem>.review.db beside the manifest).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
def review_cmd(manifest: str, db: str | None, port: int) -> None:
    """Start the local review web app for MANIFEST on 127.0.0.1 and print its URL.

    Proofreaders propose, editors decide; create accounts first with `proofbench users add`.
    Stop it with Ctrl-C: every decision acknowledged on a page is already in the store.
    """
    from proofbench.review.app import serve
    from proofbench.review.desk import Desk
    from proofbench.review.store import Store, default_db

    store = Store(db or str(default_db(manifest)))
    collation = _collation(manifest)
    if not store.users():
        click.echo(
            "review: no accounts yet; create one with "
            f"`proofbench users add NAME --role admin --db {db or default_db(manifest)}`",
            err=True,
        )

    def announce(url: str) -> None:
        click.echo(f"review: {len(collation.variants)} variants, store {store.display}", err=True)
        click.echo(url)
        sys.stdout.flush()

    try:
        serve(Desk(collation, store), "127.0.0.1", port, announce)
    except KeyboardInterrupt:
        pass
    finally:
        store.close()


def _collation(manifest: str) -> Any:
    """The manifest's collation from the collation cache, recollated only if an input changed."""
    from proofbench.cache import collate_cached

    found = collate_cached(manifest)
    if not found.hit:
        click.echo(f"collated {manifest}; cached in {found.path}", err=True)
    return found.collation


@cli.group("users")
def users_grp() -> None:
    """Manage reviewer accounts."""


_DB_HELP = "Review store: a file or a postgresql:// URL (default: beside the manifest)."


def _review_store(manifest: str | None, db: str | None) -> Any:
    """The review store named by --db, else the one beside --manifest; one of them is needed."""
    from proofbench.review import open_store

    if db is None and manifest is None:
        raise click.UsageError("give --db PATH|URL or -m MANIFEST to name the review store")
    return open_store(db, manifest)


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
    """Create the reviewer account NAME (the password is asked for, or read from stdin)."""
    store = _review_store(manifest, db)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = store.add_user(name, role, password)
    click.echo(f"created {user.role} {user.name} in {store.display}", err=True)


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
    "-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "tei"]),
    help="txt, or TEI with <choice><sic/><corr/></choice> (default: from the extension, else txt).",
)
@click.option("--db", help=_DB_HELP)
def apply_cmd(manifest: str, output: str | None, fmt: str | None, db: str | None) -> None:
    """Write the target witness's text with the editors' accepted decisions applied."""
    from proofbench.review import APPLIERS, Desk, open_store

    if fmt is None:
        fmt = "tei" if output and output.lower().endswith((".xml", ".tei")) else "txt"
    desk = Desk(_collation(manifest), open_store(db, manifest))
    text = APPLIERS[fmt](desk)
    if output is None:
        click.echo(text, nl=False)
        return
    _write_atomic(output, text)
    orphans = len(desk.orphans())
    note = f"; {orphans} orphaned decisions wait for an editor" if orphans else ""
    click.echo(f"wrote {output} ({fmt}, {len(desk.decided_readings())} accepted{note})", err=True)


@cli.group("decisions")
def decisions_grp() -> None:
    """Export the decision log."""


@decisions_grp.command("export")
@click.argument("manifest", type=MANIFEST)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout)."
)
@click.option("--db", help=_DB_HELP)
def decisions_export_cmd(manifest: str, fmt: str, output: str | None, db: str | None) -> None:
    """Write the decision log of MANIFEST's review: every event, refused attempts included."""
    from proofbench.review import Desk, open_store
    from proofbench.review.export import EXPORTERS

    text = EXPORTERS[fmt](Desk(_collation(manifest), open_store(db, manifest)))
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_atomic(output, text)


def _write_atomic(output: str, text: str) -> None:
    """Write ``text`` to ``output`` through a temporary file beside it and a rename, so a
    crash leaves the old file or the new one, never half of one."""
    import os
    import tempfile

    target = Path(output)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {output}: {exc.strerror}", param_hint="-o/--output"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # what an ordinary write would have made
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> None:
    """Entry point: run the CLI, turning library errors into one line and exit status 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError | click.BadParameter) else exc.exit_code)
    except ProofbenchError as exc:
        click.echo(f"proofbench: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
