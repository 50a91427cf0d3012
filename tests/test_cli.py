"""The kg command line through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main


def test_extract_jsonl(seed_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(seed_path)])
    assert result.exit_code == 0, result.output
    [line] = result.output.strip().splitlines()
    rec = json.loads(line)
    assert rec["file"] == seed_path.name
    assert all({"holder", "stance", "issue", "quote", "start", "end"} <= set(p) for p in rec["positions"])


def test_extract_json_over_a_directory(fixtures: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(fixtures), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert sorted(r["file"] for r in records) == [
        "berg-wang-call.txt", "brief.txt", "call.html", "joint.txt", "meeting.md", "smith-li-call.txt",
        "smith-li-meeting.txt", "tiny.txt", "wang-yi-kazakbaev-2020-11-16.txt",
    ]  # fmt: skip


def test_bad_file_is_reported_and_the_rest_goes_on(tmp_path: Path, seed_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", str(bad), str(seed_path)])
    assert result.exit_code == 1
    assert f"error: {bad}: empty file" in result.stderr
    assert "1 readout(s) failed" in result.stderr
    assert json.loads(result.stdout.strip())["file"] == seed_path.name


def test_options_override_metadata(fixtures: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(fixtures / "joint.txt"), "--publisher", "CAN", "--date", "2022-06-03"])
    rec = json.loads(result.stdout)
    assert rec["publisher"] == "CAN"
    assert rec["meeting"]["date"] == "2022-06-02"  # the date in the text wins over publication


def test_invalid_date_is_a_usage_error(seed_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(seed_path), "--date", "16/11/2020"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_no_paths_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["extract"]).exit_code == 2
