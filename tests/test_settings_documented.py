"""Every setting the code reads from the environment is named in the README's Configuration section."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Where a setting is read: `environ.get("NAME"`, `env.get("NAME"`, or a `ENV_... = "NAME"` constant of the config.
READS = re.compile(
    r"""(?:environ|env)\.get\(\s*["']([A-Z][A-Z0-9_]+)["']|^ENV_[A-Z_]+ = ["']([A-Z][A-Z0-9_]+)["']""", re.M
)


def _configuration_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Configuration")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _settings_read() -> set[str]:
    files = [REPO / "app.py", REPO / "gunicorn.conf.py", *REPO.glob("dashboard/**/*.py"), *REPO.glob("benchmarks/*.py")]
    found: set[str] = set()
    for path in files:
        for match in READS.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_the_scan_finds_the_settings_it_must() -> None:
    # Proves the scan reads both forms: a config constant and a direct read.
    assert {"DASHBOARD_PUBLIC_URL", "PORT", "WEB_CONCURRENCY"} <= _settings_read()


def test_every_setting_read_is_in_the_readme() -> None:
    section = _configuration_section()
    missing = sorted(name for name in _settings_read() if f"`{name}" not in section)
    assert not missing, f"settings read by the code but not named in the README's Configuration table: {missing}"
