"""The copy's sheet plan (pure): which original pages go on which side of which sheet, in what
order; and the settings' bounds and the originals a file makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from panel.device.copying import (
    FEEDER_SHEETS,
    MAX_COPIES,
    ZOOM_MAX,
    ZOOM_MIN,
    CopyError,
    CopySettings,
    Original,
    Placement,
    PlannedSheet,
    Sides,
    plan_sheets,
    read_original,
    sample_original,
    zoom_label,
)
from panel.pdf import text_pdf


def faces(pages: int, **settings: Any) -> list[tuple[int, tuple[int, ...], object]]:
    """(set, front, back) of every sheet, in the order they come out."""
    plan = plan_sheets(pages, CopySettings(**settings))
    return [(s.set_no, s.front, s.back) for s in plan.sheets]


def test_one_sided_collated_sets_come_one_after_the_other() -> None:
    assert faces(3, copies=2) == [
        (1, (1,), None),
        (1, (2,), None),
        (1, (3,), None),
        (2, (1,), None),
        (2, (2,), None),
        (2, (3,), None),
    ]


def test_grouped_copies_repeat_each_page_before_the_next() -> None:
    assert [front for _, front, _ in faces(3, copies=2, collate=False)] == [
        (1,),
        (1,),
        (2,),
        (2,),
        (3,),
        (3,),
    ]


def test_duplex_of_an_odd_page_count_leaves_each_sets_last_back_blank() -> None:
    plan = plan_sheets(3, CopySettings(copies=3, sides=Sides.ONE_TWO))
    assert [(s.set_no, s.sheet_no, s.front, s.back) for s in plan.sheets] == [
        (1, 1, (1,), (2,)),
        (1, 2, (3,), ()),
        (2, 1, (1,), (2,)),
        (2, 2, (3,), ()),
        (3, 1, (1,), (2,)),
        (3, 2, (3,), ()),
    ]
    # The engine starts each set on a new sheet: it is given the 3 pages of a set, 3 times.
    assert (plan.pages_per_set, plan.copies) == (3, 3)
    assert plan.engine_pages == ((1,), (2,), (3,)) * 3
    assert plan.sheet_count == 6
    assert plan.impressions == 9


def test_grouped_duplex_repeats_whole_sheets() -> None:
    plan = plan_sheets(3, CopySettings(copies=2, sides=Sides.TWO_TWO, collate=False))
    assert plan.sheets == (
        PlannedSheet(1, 1, (1,), (2,)),
        PlannedSheet(2, 1, (1,), (2,)),
        PlannedSheet(1, 2, (3,), ()),
        PlannedSheet(2, 2, (3,), ()),
    )
    # Sheets repeat, not sets: the blank back goes to the engine as an empty page.
    assert plan.pages_per_set == 4
    assert plan.engine_pages == ((1,), (2,), (1,), (2,), (3,), (), (3,), ())
    assert plan.impressions == 6
    assert plan.printed(5) == (5, 3)
    assert plan.printed(7) == (6, 4)


def test_two_up_with_a_remainder() -> None:
    assert faces(5, n_up=2) == [(1, (1, 2), None), (1, (3, 4), None), (1, (5,), None)]


def test_four_up_duplex_with_a_remainder() -> None:
    plan = plan_sheets(10, CopySettings(n_up=4, sides=Sides.ONE_TWO))
    assert [(s.front, s.back) for s in plan.sheets] == [((1, 2, 3, 4), (5, 6, 7, 8)), ((9, 10), ())]
    assert plan.impressions == 3


def test_four_up_of_fewer_pages_is_one_side() -> None:
    assert faces(3, n_up=4, copies=2) == [(1, (1, 2, 3), None), (2, (1, 2, 3), None)]


def test_printed_counts_impressions_and_sheets_at_any_point() -> None:
    plan = plan_sheets(3, CopySettings(copies=3, sides=Sides.ONE_TWO))
    assert plan.printed(0) == (0, 0)
    assert plan.printed(1) == (1, 1)  # a front side: its sheet is out
    assert plan.printed(2) == (2, 1)
    assert plan.printed(3) == (3, 2)  # the set's last sheet has a blank back
    assert plan.printed(4) == (4, 3)
    assert plan.printed(9) == (9, 6)
    assert plan.printed(99) == (9, 6)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (CopySettings(copies=0), f"Make 1 to {MAX_COPIES} copies."),
        (CopySettings(copies=MAX_COPIES + 1), f"Make 1 to {MAX_COPIES} copies."),
        (CopySettings(zoom_pct=ZOOM_MIN - 1), f"Zoom goes from {ZOOM_MIN}% to {ZOOM_MAX}%."),
        (CopySettings(zoom_pct=ZOOM_MAX + 1), f"Zoom goes from {ZOOM_MIN}% to {ZOOM_MAX}%."),
        (CopySettings(n_up=3), "Put 1, 2 or 4 pages on a side."),
    ],
)
def test_settings_out_of_range_are_refused(settings: CopySettings, message: str) -> None:
    with pytest.raises(CopyError) as refused:
        plan_sheets(1, settings)
    assert refused.value.message == message


@pytest.mark.parametrize("zoom", [ZOOM_MIN, 100, ZOOM_MAX])
def test_zoom_bounds_are_allowed(zoom: int) -> None:
    assert plan_sheets(1, CopySettings(zoom_pct=zoom, copies=MAX_COPIES)).sheet_count == MAX_COPIES


def test_zoom_presets_are_named() -> None:
    assert zoom_label(71) == "A3 \N{RIGHTWARDS ARROW} A4 (71%)"
    assert zoom_label(141) == "A4 \N{RIGHTWARDS ARROW} A3 (141%)"
    assert zoom_label(100) == "100%"
    assert zoom_label(93) == "93%"


def test_no_originals_no_plan() -> None:
    with pytest.raises(CopyError, match="Place the originals first"):
        plan_sheets(0, CopySettings())


# -- originals ------------------------------------------------------------------------------------
def test_the_sample_sets_are_shipped_with_their_page_counts() -> None:
    letter = sample_original("letter", Placement.FEEDER)
    assert (letter.pages, letter.colour, letter.describe()) == (3, False, "3 pages in the feeder")
    assert sample_original("report", Placement.FEEDER).pages == 5
    photo = sample_original("photo", Placement.GLASS)
    assert (photo.pages, photo.colour, photo.describe()) == (1, True, "1 page on the glass")


def test_on_the_glass_lies_one_page() -> None:
    assert sample_original("report", Placement.GLASS).pages == 1


def test_a_pdf_file_brings_its_page_count(tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(text_pdf([["a"], ["b"], ["c"], ["d"]]))
    assert read_original(path, Placement.FEEDER) == Original(
        "minutes.pdf", 4, Placement.FEEDER, True, str(path)
    )


def test_an_image_is_one_page(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    assert read_original(path, Placement.FEEDER).pages == 1


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "it is empty"),
        (b"hello, world", "it is neither a PDF nor an image"),
        (b"%PDF-1.4\nnot really", "the PDF cannot be read"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "odd.pdf"
    path.write_bytes(content)
    with pytest.raises(CopyError) as refused:
        read_original(path, Placement.FEEDER)
    assert refused.value.message.startswith(f"odd.pdf cannot be copied: {why}")
    assert refused.value.message.endswith("Use a PDF or an image (PNG, JPEG, GIF, BMP, TIFF).")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CopyError, match=r"gone\.pdf cannot be copied: No such file"):
        read_original(tmp_path / "gone.pdf", Placement.FEEDER)


def test_more_than_the_feeder_holds_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.pdf"
    path.write_bytes(text_pdf([["x"]] * (FEEDER_SHEETS * 2 + 1)))
    with pytest.raises(CopyError, match="the feeder holds"):
        read_original(path, Placement.FEEDER)
