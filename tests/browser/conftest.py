"""Browser tests drive Debian's Chromium through Playwright against ``live_server``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                if os.environ.get("CI") == "true":
                    raise pytest.UsageError(
                        f"CI needs {CHROMIUM} for the browser tests (apt-get install chromium)"
                    )
                item.add_marker(pytest.mark.skip(reason=f"no {CHROMIUM}: apt-get install chromium"))
