"""Guard (issue 19): the Japanese catalogue is complete and the committed .qm is fresh.

`scripts/translations.py check` extracts every area again (as `update` would) and lists each
string that is new or unfinished; the panel loads resources/translations/panel_ja.qm, which
`release` builds from every area's .ts: a .ts edited without a new release would ship stale.
"""

from __future__ import annotations

from pathlib import Path

from support.i18n import translations


def test_every_string_of_every_area_has_a_finished_japanese_translation() -> None:
    missing = translations().problems()
    assert not missing, (
        "untranslated (scripts/translations.py update AREA, fill AREA FILE.json, release):\n"
        + "\n".join(missing)
    )


def test_the_committed_qm_is_what_release_builds_from_the_ts_files(tmp_path: Path) -> None:
    tools = translations()
    fresh = tools.release(tmp_path / "panel_ja.qm")
    committed = tools.FOLDER / "panel_ja.qm"
    assert committed.exists(), "resources/translations/panel_ja.qm is missing: run release"
    assert committed.read_bytes() == fresh.read_bytes(), (
        "resources/translations/panel_ja.qm is stale: run scripts/translations.py release"
    )
