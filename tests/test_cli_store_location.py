"""The collate command finds the review store where the review package puts it."""

from proofbench import cli
from proofbench.review.store import default_db


def test_collate_looks_for_the_store_where_review_writes_it() -> None:
    for manifest in ("witnesses/letter.toml", "/tmp/a b/x.toml", "m.json"):
        assert cli._store_beside(manifest) == default_db(manifest)
