"""archlib._files: every write into --out, and `archlib adr --out` (issue 21: D3, D4, D16)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from archlib._files import (
    UnsafePathError,
    prepare_folder,
    remove_from,
    remove_temporaries,
    write_file,
    write_into,
)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _outside(tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return elsewhere


# --- D4: links planted inside the output folder ---------------------------------------------

def test_symlinked_folder_inside_out_is_refused_not_written_through(tmp_path: Path,
                                                                     out: Path) -> None:
    elsewhere = _outside(tmp_path)
    (out / "redirect").symlink_to(elsewhere)
    with pytest.raises(UnsafePathError, match="redirect: is a symbolic link"):
        write_into(out, "redirect/s3-endpoints.html", "report")
    assert list(elsewhere.iterdir()) == []


def test_symlink_deeper_down_is_refused_too(tmp_path: Path, out: Path) -> None:
    elsewhere = _outside(tmp_path)
    (out / "a").mkdir()
    (out / "a" / "b").symlink_to(elsewhere)
    with pytest.raises(UnsafePathError, match="a/b: is a symbolic link"):
        write_into(out, "a/b/c/r.html", "report")
    assert list(elsewhere.iterdir()) == []


def test_stale_report_cleanup_never_deletes_through_a_link(tmp_path: Path, out: Path) -> None:
    elsewhere = _outside(tmp_path)
    (elsewhere / "s3-endpoints.html").write_text("not archlib's")
    (out / "deleted").symlink_to(elsewhere)
    remove_from(out, "deleted/s3-endpoints.html")
    assert (elsewhere / "s3-endpoints.html").read_text() == "not archlib's"
    (out / "x").mkdir()
    (out / "x" / "r.html").symlink_to(elsewhere / "s3-endpoints.html")
    remove_from(out, "x/r.html")  # a link is not a regular file: left alone
    assert (out / "x" / "r.html").is_symlink()
    (out / "x" / "old.html").write_text("stale")
    remove_from(out, "x/old.html")
    assert not (out / "x" / "old.html").exists()


def test_a_link_as_the_file_itself_is_replaced_not_followed(tmp_path: Path,
                                                            out: Path) -> None:
    elsewhere = _outside(tmp_path)
    (elsewhere / "target").write_text("keep")
    (out / "index.html").symlink_to(elsewhere / "target")
    write_into(out, "index.html", "new index")
    assert not (out / "index.html").is_symlink()
    assert (out / "index.html").read_text() == "new index"
    assert (elsewhere / "target").read_text() == "keep"


@pytest.mark.parametrize("relative", ["../x.html", "a/../../x.html", "/etc/x", "a//b"])
def test_only_plain_relative_paths_are_written(out: Path, relative: str) -> None:
    with pytest.raises(UnsafePathError, match="not a plain relative path"):
        write_into(out, relative, "x")


def test_a_fifo_in_out_is_never_replaced(out: Path) -> None:
    os.mkfifo(out / "index.html")
    with pytest.raises(UnsafePathError, match=r"index\.html: is a FIFO; not replaced"):
        write_into(out, "index.html", "x")
    assert stat.S_ISFIFO(os.lstat(out / "index.html").st_mode)


def test_prepare_folder_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(NotADirectoryError):
        prepare_folder(tmp_path / "f")
    prepare_folder(tmp_path / "new" / "out")
    assert (tmp_path / "new" / "out").is_dir()
    assert list((tmp_path / "new" / "out").iterdir()) == []  # the probe is gone


def test_temporaries_of_a_killed_writer_are_removed(out: Path) -> None:
    (out / "s").mkdir()
    (out / "s" / ".r.html.1a2b3c4d.tmp").write_text("half")
    (out / "s" / "r.html").write_text("whole")
    (out / "s" / ".other.html.1a2b3c4d.tmp").write_text("someone else's")
    remove_temporaries(out, "s/r.html")
    assert sorted(p.name for p in (out / "s").iterdir()) == [".other.html.1a2b3c4d.tmp",
                                                              "r.html"]


def test_skip_if_same_leaves_an_identical_file_untouched(out: Path) -> None:
    write_into(out, "assets/plotly.min.js", "js")
    before = os.stat(out / "assets" / "plotly.min.js").st_ino
    write_into(out, "assets/plotly.min.js", "js", skip_if_same=True)
    assert os.stat(out / "assets" / "plotly.min.js").st_ino == before
    write_into(out, "assets/plotly.min.js", "js2", skip_if_same=True)
    assert (out / "assets" / "plotly.min.js").read_text() == "js2"


# --- D16: rewriting keeps the file's mode ------------------------------------------------------

@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_rewriting_a_file_keeps_its_mode(out: Path, mode: int) -> None:
    target = out / "rec.md"
    target.write_text("old")
    target.chmod(mode)
    write_into(out, "rec.md", "new")
    write_file(target, "newer")
    assert stat.S_IMODE(os.stat(target).st_mode) == mode
    assert target.read_text() == "newer"


def test_new_files_get_the_umask_mode(out: Path) -> None:
    mask = os.umask(0)
    os.umask(mask)
    write_into(out, "r.html", "x")
    assert stat.S_IMODE(os.stat(out / "r.html").st_mode) == 0o666 & ~mask


# --- D3: a file the user names (adr --out) -------------------------------------------------------

def _read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(path, "rb") as stream:
            into.append(stream.read())
    thread = threading.Thread(target=read)
    thread.start()
    return thread


def test_adr_out_writes_through_a_fifo_and_never_replaces_it(tmp_path: Path) -> None:
    fifo = tmp_path / "rec.md"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _read_fifo(fifo, got)
    write_file(fifo, "# record\n")
    reader.join(10)
    assert got == [b"# record\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_adr_out_follows_a_link_to_a_fifo_like_dev_stdout(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout"
    link.symlink_to(fifo)
    got: list[bytes] = []
    reader = _read_fifo(fifo, got)
    write_file(link, "text")
    reader.join(10)
    assert got == [b"text"]
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_adr_out_writes_through_a_character_device(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device node needs root (CI runs as root)")
    write_file(node, "discarded")
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert os.lstat(node).st_rdev == os.makedev(1, 3)


def test_adr_out_through_a_link_updates_the_file_it_names(tmp_path: Path) -> None:
    (tmp_path / "0005-choice.md").write_text("old")
    (tmp_path / "latest.md").symlink_to("0005-choice.md")
    write_file(tmp_path / "latest.md", "new")
    assert (tmp_path / "latest.md").is_symlink()
    assert (tmp_path / "0005-choice.md").read_text() == "new"


def test_adr_out_refuses_a_folder_and_a_socket(tmp_path: Path) -> None:
    import socket

    with pytest.raises(UnsafePathError, match="is a folder"):
        write_file(tmp_path, "x")
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(UnsafePathError, match="is a socket"):
            write_file(path, "x")
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
