"""The demo's ULNs and its download to reconcile (the full seed runs in tests/platform)."""

from __future__ import annotations

from decimal import Decimal

from levy.demo import DEMO_DIR
from levy.demo.insight import NO_ULN, demo_uln
from levy.importers.service_download import read_service_download


def test_demo_ulns_are_ten_digits_stable_and_distinct() -> None:
    ulns = [demo_uln(f"APP-{n:04d}") for n in range(1, 400)]
    assert all(len(u) == 10 and u.isdigit() for u in ulns)
    assert len(set(ulns)) == len(ulns)
    assert demo_uln("APP-0001") == demo_uln("APP-0001")
    assert NO_ULN == ("APP-0003", "APP-0004")


def test_the_demo_download_is_a_v2_file_with_its_planted_rows() -> None:
    path = DEMO_DIR / "esfa_transactions.csv"
    parsed = read_service_download(path.read_bytes(), path.name)
    assert parsed.download.layout == "v2 levy account"
    ulns = {p.uln for p in parsed.payments}
    assert "9000000017" in ulns  # nobody's ULN
    assert demo_uln("APP-0172") in ulns  # paid after withdrawing
    assert demo_uln("APP-0003") not in ulns and demo_uln("APP-0004") not in ulns
    assert sum(parsed.download.expiries.values()) > Decimal(500)
