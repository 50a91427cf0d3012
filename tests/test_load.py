"""Loading readouts: formats, encodings, metadata sources and bad input."""

from __future__ import annotations

import codecs
import importlib
from pathlib import Path

import pytest

from kg.errors import ReadoutError
from kg.load import load, load_file

loadmod = importlib.import_module("kg.load")  # the module (kg.load is the facade's function)


def test_plain_text_seed_drops_web_leftovers(seed_path: Path) -> None:
    r = load_file(str(seed_path))
    assert r.title == "Wang Yi Speaks with Kyrgyz Foreign Minister Ruslan Kazakbaev on the Phone"
    assert r.body.startswith("On November 16, 2020, State Councilor")
    assert "Home >" not in r.body
    assert "Suggest To A Friend" not in r.body
    assert r.body.endswith("vaccine research and development.")
    # exact text is kept: offsets index the file's own characters
    assert r.text == seed_path.read_text(encoding="utf-8")
    assert r.text[r.body_start : r.body_end] == r.body


def test_html_page(fixtures: Path) -> None:
    r = load_file(str(fixtures / "call.html"))
    assert r.format == "html"
    assert r.title == "Foreign Minister Anna Lind Speaks with Foreign Minister Mateo Ruiz of Spain on the Phone"
    assert r.date == "2024-03-06"
    assert r.source_url == "https://example.org/readouts/2024/03/06/lind-ruiz"
    assert r.publisher == "Ministry for Foreign Affairs of Sweden"
    assert "tracking" not in r.text and "color: red" not in r.text  # script and style dropped
    assert "Home" not in r.body and "Suggest To A Friend" not in r.body  # nav and footer dropped
    assert "Spain’s efforts" in r.body  # entities decoded


def test_markdown_front_matter(fixtures: Path) -> None:
    r = load_file(str(fixtures / "meeting.md"))
    assert r.format == "markdown"
    assert r.title == "Readout of President Example Person's Meeting with Prime Minister Lena Berg of Norway"
    assert r.date == "2023-05-17"
    assert r.source_url and r.source_url.startswith("https://example.gov/")
    assert r.body.startswith("President Jonas Example met today")
    assert r.body.endswith("the Middle East.")  # the "\\###" footer is not body
    assert r.text[r.body_start : r.body_end] == r.body


def test_sidecar_index_gives_date_and_publisher(fixtures: Path) -> None:
    [r] = list(load([str(fixtures / "sidecar")]))
    assert not isinstance(r, Exception)
    assert r.date == "2022-08-04"
    assert r.publisher == "Japan - Ministry of Foreign Affairs (press release)"


def test_explicit_options_win(fixtures: Path) -> None:
    [r] = list(load([str(fixtures / "sidecar")], date="2022-01-01", publisher="IND"))
    assert not isinstance(r, Exception)
    assert (r.date, r.publisher) == ("2022-01-01", "IND")


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(codecs.BOM_UTF8 + b"Title\n\nChina supports peace.\n")
    r = load_file(str(p))
    assert r.text.startswith("Title") and r.title == "Title"


def test_legacy_encoding(tmp_path: Path) -> None:
    p = tmp_path / "cp1252.txt"
    text = "Réunion à Genève\n\nLe ministre a déclaré que la coopération franco-allemande est essentielle. " * 3
    p.write_bytes(text.encode("cp1252"))
    r = load_file(str(p))
    assert "Genève" in r.text and "coopération" in r.text


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "u16.txt"
    p.write_bytes("Title\n\nThe two sides met in Hanoi.\n".encode("utf-16"))
    assert load_file(str(p)).body == "The two sides met in Hanoi."


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n\t\n", "empty"),
        ("nobody.txt", b"Only a title line\n", "no body"),
        ("digits.txt", b"12345\n\n67890 ---\n", "no body"),
    ],
)
def test_bad_input_gives_clear_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ReadoutError) as err:
        load_file(str(p))
    assert reason in str(err.value)
    assert name in str(err.value)


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loadmod, "MAX_BYTES", 100)
    p = tmp_path / "big.txt"
    p.write_text("Title\n\n" + "word " * 100)
    with pytest.raises(ReadoutError, match="too large"):
        load_file(str(p))


def test_default_limit_is_five_megabytes() -> None:
    assert loadmod.MAX_BYTES == 5 * 1024 * 1024


def test_undecodable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class NoGuess:
        def best(self) -> None:
            return None

    monkeypatch.setattr(loadmod, "from_bytes", lambda data: NoGuess())
    p = tmp_path / "bad.txt"
    p.write_bytes(b"Title\n\n\xff\xfe\xfa not utf-8 \xc3\x28")
    with pytest.raises(ReadoutError, match="undecodable"):
        load_file(str(p))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadoutError, match="no such file"):
        load_file(str(tmp_path / "nope.txt"))
    with pytest.raises(ReadoutError, match="directory"):
        load_file(str(tmp_path))


def test_batch_goes_on_past_bad_files(tmp_path: Path, seed_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_good.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "c_bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    results = list(load([str(tmp_path)]))
    assert [type(r).__name__ for r in results] == ["ReadoutError", "Readout", "ReadoutError"]


def test_directory_walk_skips_readme_and_index(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# not a readout\n\nThis folder holds readouts.\n")
    (tmp_path / "INDEX.tsv").write_text("file\tdate\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "x.txt").write_text("T\n\nChina supports peace.\n")
    (sub / "y.bin").write_bytes(b"\x00")
    assert [r.file for r in load([str(tmp_path)]) if not isinstance(r, Exception)] == ["x.txt"]


def test_glob_pattern(tmp_path: Path) -> None:
    for n in ("a", "b"):
        (tmp_path / f"{n}.txt").write_text("T\n\nThe two sides met.\n")
    files = [r.file for r in load([str(tmp_path / "*.txt")]) if not isinstance(r, Exception)]
    assert files == ["a.txt", "b.txt"]
    [err] = list(load([str(tmp_path / "*.nomatch")]))
    assert isinstance(err, ReadoutError)


def test_markdown_reads_as_text_with_the_same_offsets(tmp_path: Path) -> None:
    from kg.extract import extract
    from kg.load import load_file

    body = (
        "Secretary of State Tom Hale spoke today with Foreign Minister Ana Ruiz of the **Republic of\n"
        "Peru**. The Secretary reaffirmed the strength of the United States’\n"
        "partnership with Peru and [expressed support](https://example.org/x) for strengthening U.S.\n"
        "partnerships throughout the region in the 21<sup>st</sup> century.\n\n"
        "# Next steps\n"
        "- The two sides agreed to meet again.\n"
    )
    md = tmp_path / "r.md"
    md.write_text(f"---\ntitle: Readout\ndate: '2024-05-10'\n---\n{body}", encoding="utf-8")
    txt = tmp_path / "r.txt"
    plain = (
        "Secretary of State Tom Hale spoke today with Foreign Minister Ana Ruiz of the Republic of Peru. The Secretary "
        "reaffirmed the strength of the United States’ partnership with Peru and expressed support for strengthening "
        "U.S. partnerships throughout the region in the 21st century.\n\nNext steps\n- The two sides agreed to meet again."
    )
    txt.write_text("Readout\n\n" + plain + "\n", encoding="utf-8")
    m, t = load_file(str(md)), load_file(str(txt), date="2024-05-10")
    raw = md.read_text(encoding="utf-8")
    assert len(m.text) == len(raw)  # one character for one: offsets index the file
    assert "---" not in m.text and "**" not in m.text and "](" not in m.text and "<sup>" not in m.text
    words = " ".join(m.text.split())
    assert "the United States’ partnership" in words and "21st century" in words

    def key(r) -> set:
        return {(p["holder"], p["stance"], p["target"], " ".join(p["issue"].split())) for p in extract(r)["positions"]}

    assert key(m) == key(t) and key(m)
    # the heading stays its own line: it does not join the sentence after it
    assert "  Next steps\n- The two sides" in m.text
