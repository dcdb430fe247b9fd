"""archlib.pdf and `archlib report --pdf`: reports printed by Debian's headless Chromium (issue
18, D7): paper size, page count, running header, page numbers, the recommendation and every
source's URL in the text, no navigation or Explore note, the other options in an appendix."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdf
import pytest
from report_batch import Batch, shared_batch
from typer.testing import CliRunner

import archlib
from archlib import load_scenario
from archlib.cli import app
from archlib.pdf import PdfError, write_pdf

ROOT = Path(__file__).resolve().parents[1]
#: Paper in PDF points (1/72 inch): A4 is 210 x 297 mm, Letter 8.5 x 11 inches.
PAPER_POINTS = {"A4": (210 / 25.4 * 72, 297 / 25.4 * 72), "Letter": (8.5 * 72, 11 * 72)}
#: The review printed the S3 hub report to 13 pages; issue 18 asks for at most 8 (A4): met
#: by denser print type and margins, the cost items two abreast, charts redrawn at a print
#: height and headings kept with what follows (none of the content the issue asks for is left
#: out). Letter is 17.6 mm shorter a page: 9 pages (not yet 8).
MAX_S3_PAGES = {"A4": 8, "Letter": 9}

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/bin/chromium") and not os.environ.get(
    "CI"), reason="/usr/bin/chromium not installed (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return shared_batch(tmp_path_factory)


def _squash(text: str) -> str:
    """Text without whitespace: a PDF's text breaks long URLs and titles over lines."""
    return re.sub(r"\s+", "", text)


def _printed(batch: Batch, stem: str, decision: str, paper: str,
             tmp_path: Path) -> pypdf.PdfReader:
    pdf = write_pdf(batch.out / stem / f"{decision}.html", tmp_path / f"{stem}-{paper}.pdf",
                    paper=paper)  # type: ignore[arg-type]
    return pypdf.PdfReader(pdf)


@pytest.mark.parametrize(("stem", "decision", "paper"), [
    ("multi-account-hub", "s3-endpoints", "A4"),
    ("multi-account-hub", "s3-endpoints", "Letter"),
    ("sqlserver-cross-region-dr", "sqlserver-ha-dr", "Letter"),
])
def test_pdf_reads_like_the_report(batch: Batch, tmp_path: Path, stem: str, decision: str,
                                   paper: str) -> None:
    scenario = load_scenario(ROOT / "scenarios" / f"{stem}.yaml")
    ev = archlib.evaluate(decision, scenario.decisions[decision], prices=scenario.prices)
    assert ev.recommended is not None
    reader = _printed(batch, stem, decision, paper, tmp_path)
    pages = [page.extract_text() for page in reader.pages]
    width, height = PAPER_POINTS[paper]
    for number, page in enumerate(reader.pages, start=1):
        assert float(page.mediabox.width) == pytest.approx(width, abs=1)
        assert float(page.mediabox.height) == pytest.approx(height, abs=1)
        text = pages[number - 1]
        assert f"page {number} of {len(pages)}" in text, number  # report.css's @page footer
        # the running header: the page's title, "<decision title> - <scenario name>"
        assert _squash(f"{ev.decision.title} - {scenario.name}") in _squash(text), number
    whole = "\n".join(pages)
    squashed = _squash(whole)
    assert _squash(ev.option(ev.recommended).title) in squashed
    assert ev.recommended in whole
    for source in ev.sources:  # the sources list prints each link with its URL
        if source.url.startswith("https://"):
            assert _squash(source.url) in squashed, source.id
    assert "Interactive controls are not available" not in whole  # the Explore note
    assert "Contents" not in whole.splitlines()  # navigation is not printed
    assert "Appendix: diagrams of the other options" in whole
    if decision == "s3-endpoints":
        assert len(pages) <= MAX_S3_PAGES[paper], len(pages)


def test_missing_browser_is_one_clear_error(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    html = tmp_path / "report.html"
    html.write_text("<html><body>x</body></html>")
    monkeypatch.setenv("ARCHLIB_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(PdfError, match=r"^no Chromium at .*no-such-browser: install"):
        write_pdf(html)
    assert not (tmp_path / "report.pdf").exists()


def test_unknown_paper_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="unknown paper size 'A5'"):
        write_pdf(tmp_path / "report.html", paper="A5")  # type: ignore[arg-type]


runner = CliRunner()


def test_cli_unknown_paper_exits_2_before_running(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(ROOT / "scenarios" / "single-vpc-analytics.yaml"),
                                 "--out", str(tmp_path / "out"), "--pdf", "--paper", "A5"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "archlib: --paper: unknown paper size 'A5' (known: A4, Letter)"]
    assert not (tmp_path / "out").exists()


def test_cli_report_pdf_writes_a_pdf_beside_each_html(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(ROOT / "scenarios" / "single-vpc-analytics.yaml"),
                                 "--out", str(out), "--pdf", "--paper", "Letter", "--quiet"])
    assert result.exit_code == 0, result.output
    pdf = out / "single-vpc-analytics" / "s3-endpoints.pdf"
    assert (out / "single-vpc-analytics" / "s3-endpoints.html").exists()
    reader = pypdf.PdfReader(pdf)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(PAPER_POINTS["Letter"][0],
                                                                  abs=1)
    assert "1 PDF(s) written (Letter)" in result.output
