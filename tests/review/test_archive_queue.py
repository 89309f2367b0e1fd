"""`review --archive`: one store holds every document's items; one queue filters and pages
across documents; decisions, re-attachment and apply stay per document. On SQLite and on the
real PostgreSQL the tests start (``db_url``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from app_support import PASSWORD, HttpClient, csrf_of, make_store
from click.testing import CliRunner
from werkzeug.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "archive"))
from archive_support import CREATED, write_archive

from proofbench.archive import Settings, run_archive
from proofbench.cache import collate_cached
from proofbench.cli import cli
from proofbench.review.archive_app import create_archive_app, doc_url
from proofbench.review.archive_queue import (
    ArchiveFilters,
    ArchiveQueue,
    item_from_json,
    item_to_json,
    read_archive,
)
from proofbench.review.items import Item, review_items
from proofbench.review.store import Store


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proofbench.cli", *args], capture_output=True, text=True, timeout=300
    )


def _collate(manifest: str) -> object:
    return collate_cached(manifest).collation


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of a dozen documents (one broken) in two tagged batches, collated."""
    root = tmp_path_factory.mktemp("archive-review")
    write_archive(root / "src")
    lines = ["manifest,batch"]
    for manifest in sorted((root / "src").rglob("doc.toml")):
        lines.append(f"{manifest.relative_to(root).as_posix()},{manifest.parent.parent.name}")
    (root / "index.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_archive([root / "index.csv"], root / "out", Settings(created=CREATED))
    return root


@pytest.fixture
def archive(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built archive (sources and output), free to edit."""
    dest = tmp_path / "archive"
    shutil.copytree(built, dest)
    run_archive([dest / "index.csv"], dest / "out", Settings(created=CREATED))  # reused rows
    return dest


def _queue(archive: Path, db: str) -> tuple[ArchiveQueue, Store]:
    documents, _failed = read_archive(archive / "out")
    store = make_store(db)
    queue = ArchiveQueue(store, documents, _collate)  # type: ignore[arg-type]
    queue.index()
    return queue, store


def _expected(queue: ArchiveQueue) -> list[tuple[str, Item]]:
    """Every document's items straight from its collation, in the queue's order."""
    out = []
    for d in queue.documents:
        out += [(d.id, i) for i in review_items(_collate(d.manifest))]  # type: ignore[arg-type]
    out.sort(key=lambda p: (p[1].target not in p[1].suspect, -p[1].confidence, p[0], p[1].start))
    return out


def test_read_archive_leaves_out_the_failed_document(archive: Path) -> None:
    documents, failed = read_archive(archive / "out")
    assert len(documents) == 11 and failed == ("src/batch9/broken/doc",)
    assert all(Path(d.manifest).is_file() for d in documents)
    assert {dict(d.tags)["batch"] for d in documents} == {"batch0", "batch1"}


def test_read_archive_bad_folders(tmp_path: Path) -> None:
    from proofbench.errors import ManifestError, MissingFileError

    with pytest.raises(MissingFileError, match="no archive index"):
        read_archive(tmp_path)
    (tmp_path / "index.json").write_text('{"schema": "other"}', encoding="utf-8")
    with pytest.raises(ManifestError, match="not an archive index"):
        read_archive(tmp_path)


def test_items_round_trip_through_the_store_format(archive: Path) -> None:
    documents, _ = read_archive(archive / "out")
    items = review_items(_collate(documents[0].manifest))  # type: ignore[arg-type]
    assert items
    for i in items:
        back = item_from_json(item_to_json(i))
        assert back == i  # every field but the variant object, which compares as equal


def test_one_queue_pages_across_documents(archive: Path, db_url: str) -> None:
    queue, store = _queue(archive, db_url)
    try:
        expected = _expected(queue)
        assert len({d for d, _ in expected}) > 5  # items from many documents
        first = queue.page(ArchiveFilters(), 0, len(expected) + 5)
        assert first.total == len(expected)
        got = [(e.document.id, e.item) for e in first.entries]
        assert [(d, i.key) for d, i in got] == [(d, i.key) for d, i in expected]
        assert [i for _, i in got] == [i for _, i in expected]
        # pages of 7 tile the whole queue, in order, without repeats
        paged = []
        for offset in range(0, first.total, 7):
            p = queue.page(ArchiveFilters(), offset, 7)
            assert p.total == first.total and len(p.entries) <= 7
            paged += [(e.document.id, e.item.key) for e in p.entries]
        assert paged == [(d, i.key) for d, i in expected]
        # each filter keeps exactly the items it names, in the same order
        one = expected[len(expected) // 2][0]
        cls = expected[0][1].cls
        cases = {
            ArchiveFilters(document=one): lambda d, i: d == one,
            ArchiveFilters(tag="batch=batch1"): lambda d, i: "/batch1/" in d,
            ArchiveFilters(cls=cls): lambda d, i: cls in i.classes,
            ArchiveFilters(witness="ED"): lambda d, i: "ED" in i.suspect,
            ArchiveFilters(min_conf=0.5, max_conf=0.95): lambda d, i: 0.5 <= i.confidence <= 0.95,
            ArchiveFilters(status="open"): lambda d, i: True,
            ArchiveFilters(status="accepted"): lambda d, i: False,
        }
        for f, keep in cases.items():
            want = [(d, i.key) for d, i in expected if keep(d, i)]
            page = queue.page(f, 0, 10_000)
            assert [(e.document.id, e.item.key) for e in page.entries] == want, f
            assert page.total == len(want)
        assert sum(queue.counts().values()) == len(expected)
    finally:
        store.close()


def test_decisions_are_per_document_and_apply_by_scope(archive: Path, db_url: str) -> None:
    queue, store = _queue(archive, db_url)
    try:
        ed = store.user("ed")
        assert ed is not None
        top = queue.page(ArchiveFilters(), 0, 1).entries[0]
        doc, item = top.document, top.item
        assert item.suggestion and item.suggestion != item.target_reading
        desk = queue.desk(doc.id)
        assert desk.scope == doc.id
        desk.act(item.key, "accept", ed, 0, item.suggestion, "suggestion")
        accepted = queue.page(ArchiveFilters(status="accepted"), 0, 100)
        assert [(e.document.id, e.item.key) for e in accepted.entries] == [(doc.id, item.key)]
        assert accepted.entries[0].state.reading == item.suggestion
        assert queue.progress().decided == 1
        by_ed = queue.page(ArchiveFilters(reviewer="ed"), 0, 100)
        assert by_ed.total == 1
        # the decision is filed under the document's id alone
        others = [d for d in queue.documents if d.id != doc.id]
        assert all(store.events(d.id) == [] for d in others)
        assert len(store.events(doc.id)) == 1
        # apply, per document, as today: the manifest, the store and the document's scope
        out = archive / "applied.txt"
        # (in a process of its own, as a user runs it: the command leaves its store to exit)
        result = _run("apply", doc.manifest, "--db", db_url, "--scope", doc.id, "-o", str(out))
        assert result.returncode == 0, result.stderr
        collation = _collate(doc.manifest)
        before = collation.witness(collation.target).text  # type: ignore[attr-defined]
        after = out.read_text(encoding="utf-8")
        assert after != before
        assert after == before[: item.start] + item.suggestion + before[item.end :]
        # without the scope, the manifest's stem names another (empty) review
        result = _run("apply", doc.manifest, "--db", db_url)
        assert result.returncode == 0 and result.stdout == before
        # the decision log of the document, by its scope
        result = _run("decisions", "export", doc.manifest, "--db", db_url, "--scope", doc.id)
        assert result.returncode == 0, result.stderr
        log = json.loads(result.stdout)
        logged = [(e["item"], e["action"], e["user"]) for e in log["events"]]
        assert logged == [(item.key, "accept", "ed")]
    finally:
        store.close()


def test_changed_document_is_read_again_and_its_decision_reattached(
    archive: Path, db_url: str
) -> None:
    queue, store = _queue(archive, db_url)
    try:
        ed = store.user("ed")
        assert ed is not None
        top = queue.page(ArchiveFilters(), 0, 1).entries[0]
        doc, item = top.document, top.item
        queue.desk(doc.id).act(item.key, "reject", ed, 0, None, "target")
        # an edit far from the decided place, in both witnesses: its context is untouched
        folder = Path(doc.manifest).parent
        for name in ("ED.txt", "OCR.txt"):
            path = folder / name
            text = path.read_text(encoding="utf-8")
            cut = len(text) - 1 if item.end < len(text) // 2 else 0
            path.write_text(text[:cut] + " Postscript." + text[cut:], encoding="utf-8")
        run_archive([archive / "index.csv"], archive / "out", Settings(created=CREATED))
        documents, _ = read_archive(archive / "out")
        again = ArchiveQueue(store, documents, _collate)  # type: ignore[arg-type]
        assert [d.id for d in again.stale()] == [doc.id]
        assert again.index() == 1 and again.stale() == []
        rejected = again.page(ArchiveFilters(status="rejected"), 0, 10)
        assert [(e.document.id, e.item.target_reading) for e in rejected.entries] == [
            (doc.id, item.target_reading)
        ]
        assert again.progress().orphans == 0
    finally:
        store.close()


# --- the web app -----------------------------------------------------------------------------
def _login(client: Client, name: str = "ed", next_: str = "") -> None:
    page = client.get("/login").get_data(as_text=True)
    url = "/login" + (f"?next={quote(next_)}" if next_ else "")
    resp = client.post(url, data={"csrf": csrf_of(page), "name": name, "password": PASSWORD})
    assert resp.status_code == 303, resp.status_code


def test_web_queue_links_to_each_documents_pages_and_actions(archive: Path, db_url: str) -> None:
    queue, store = _queue(archive, db_url)
    try:
        client = Client(create_archive_app(queue))
        # nothing without a session, document pages included (and no collation is loaded)
        resp = client.get("/")
        assert resp.status_code == 302 and urlsplit(resp.location).path == "/login"
        top = queue.page(ArchiveFilters(), 0, 1).entries[0]
        item_path = doc_url(top.document.id, f"/item/{top.item.key}")
        resp = client.get(item_path)
        assert resp.status_code == 302
        assert parse_qs(urlsplit(resp.location).query)["next"] == [item_path]
        _login(client, next_=item_path)
        page = client.get("/").get_data(as_text=True)
        rows = re.findall(r'data-href="([^"]+)" data-document="([^"]+)"', page)
        assert len(rows) == min(100, queue.page().total) and rows[0][0] == item_path
        assert len({d for _, d in rows}) > 1  # one queue, many documents
        # the item page is the document's own app, under its prefix
        resp = client.get(item_path)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200, html
        assert "Content-Security-Policy" in resp.headers
        assert doc_url(top.document.id, "/static/review.css") in html
        based = int(re.search(r'name="based_on" value="(\d+)"', html).group(1))  # type: ignore[union-attr]
        resp = client.post(
            item_path,
            data={
                "csrf": csrf_of(html),
                "action": "accept",
                "based_on": str(based),
                "choice": "suggestion",
                "stay": "1",
            },
        )
        assert resp.status_code == 303, resp.get_data(as_text=True)
        assert urlsplit(resp.location).path == item_path
        # the archive queue shows the decision taken on the document's page
        page = client.get("/?status=accepted").get_data(as_text=True)
        assert re.findall(r'data-href="([^"]+)"', page) == [item_path]
        assert "1 match" in page
        # filters and paging are checked on the server
        assert client.get("/?document=no/such").status_code == 400
        assert client.get("/?status=bogus").status_code == 400
        assert client.get("/?min=2").status_code == 400
        assert client.get(doc_url("no/such/doc", "/")).status_code == 404
        assert client.post("/logout").status_code == 400  # no CSRF token
    finally:
        store.close()


def test_review_archive_command_needs_a_store_and_an_archive(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["review", "--archive", str(tmp_path)])
    assert result.exit_code == 2 and "--db" in result.output
    result = runner.invoke(
        cli, ["review", "--archive", str(tmp_path), "--db", str(tmp_path / "r.db")]
    )
    assert result.exit_code == 2
    assert "no archive index" in result.output and "index.json" in result.output
    result = runner.invoke(cli, ["review"])
    assert result.exit_code == 2 and "--archive" in result.output


def test_review_archive_command_serves_the_queue(archive: Path, tmp_path: Path) -> None:
    """The command as a user runs it: it reads the items, prints its URL, serves the queue and
    each document's pages behind one login; a re-start reads nothing again."""
    db = str(tmp_path / "review.db")
    make_store(db).close()
    log = tmp_path / "server.log"

    def serve() -> tuple[subprocess.Popen[str], str]:
        with open(log, "a", encoding="utf-8") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "proofbench.cli", "review", "--archive",
                 str(archive / "out"), "--db", db],
                stdout=subprocess.PIPE, stderr=err, text=True,
            )  # fmt: skip
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), (url, log.read_text())
        return proc, url

    proc, url = serve()
    try:
        client = HttpClient(url)
        client.login("ed")
        status, page, _ = client.request("/")
        assert status == 200
        hrefs = re.findall(r'data-href="([^"]+)"', page)
        assert hrefs and all(h.startswith("/doc/src/") for h in hrefs)
        status, item, _ = client.request(hrefs[0])
        assert status == 200 and 'name="based_on"' in item
    finally:
        proc.terminate()
        proc.wait(30)
        if proc.stdout is not None:
            proc.stdout.close()
    assert "reading the items of 11 new or changed documents" in log.read_text()
    proc, url = serve()
    proc.terminate()
    proc.wait(30)
    if proc.stdout is not None:
        proc.stdout.close()
    assert log.read_text().count("reading the items") == 1  # nothing changed: nothing read


def test_a_document_gone_since_the_archive_ran_does_not_stop_the_others(
    archive: Path, tmp_path: Path
) -> None:
    documents, _ = read_archive(archive / "out")
    gone = documents[3]
    (Path(gone.manifest).parent / "OCR.txt").unlink()
    store = make_store(str(tmp_path / "review.db"))
    try:
        queue = ArchiveQueue(store, documents, _collate)  # type: ignore[arg-type]
        assert queue.index() == len(documents) - 1
        assert list(queue.unreadable) == [gone.id] and "OCR.txt" in queue.unreadable[gone.id]
        assert gone.id not in queue.counts() and len(queue.counts()) == len(documents) - 1
    finally:
        store.close()
