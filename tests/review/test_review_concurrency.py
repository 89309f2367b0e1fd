"""Two reviewers decide the same variant at once, over HTTP, on SQLite and on PostgreSQL:
one wins, the other is refused with a clear message, the log holds both attempts."""

from __future__ import annotations

import threading

from app_support import HttpClient, based_on_of, csrf_of, find_ball, live_server, make_store
from review_support import ROOT, collate_letter

from proofbench.review import Desk


def test_two_sessions_decide_the_same_variant(db_url: str) -> None:
    store = make_store(db_url)
    desk = Desk(collate_letter(ROOT / "witnesses" / "letter.toml"), store)
    key = find_ball(desk.items).key
    with live_server(desk) as live:
        ed, ada = HttpClient(live.url), HttpClient(live.url)
        ed.login("ed")
        ada.login("ada")
        forms = []
        for client, choice in ((ed, "witness:P45"), (ada, "target")):
            status, page, _ = client.request(f"/item/{key}")
            assert status == 200
            forms.append(
                {
                    "csrf": csrf_of(page),
                    "based_on": str(based_on_of(page)),
                    "action": "accept" if choice != "target" else "reject",
                    "choice": choice,
                    "stay": "1",
                }
            )
        assert forms[0]["based_on"] == forms[1]["based_on"] == "0"
        barrier = threading.Barrier(2)
        results: dict[str, tuple[int, str]] = {}

        def decide(name: str, client: HttpClient, form: dict[str, str]) -> None:
            barrier.wait()
            status, page, _ = client.request(f"/item/{key}", form)
            results[name] = (status, page)

        threads = [
            threading.Thread(target=decide, args=("ed", ed, forms[0])),
            threading.Thread(target=decide, args=("ada", ada, forms[1])),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        statuses = sorted(s for s, _ in results.values())
        assert statuses == [303, 409], results
        loser = next(n for n, (s, _) in results.items() if s == 409)
        winner = "ada" if loser == "ed" else "ed"
        assert "changed since you loaded it" in results[loser][1]
        assert f"by {winner}" in results[loser][1]

        log = store.events(desk.scope)
        assert [(e.user, e.refused) for e in log] == [(winner, False), (loser, True)]
        state = store.states(desk.scope)[log[0].item]
        assert state.by == winner
        assert state.status == ("accepted" if winner == "ed" else "rejected")
        # The refused one, reloading, can now decide on the current state.
        client = ed if loser == "ed" else ada
        status, page, _ = client.request(f"/item/{key}")
        assert based_on_of(page) == log[0].seq
    store.close()
