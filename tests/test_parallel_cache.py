"""Parallel builds equal serial ones; the article cache is rebuilt whenever it could be stale or damaged."""
from __future__ import annotations

import io
import multiprocessing
import pickle
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import generator
from generator.build import articles
from generator.build import cache as cache_mod
from generator.cli import _ProgressBar, app

TOPICS = [("Osmosis", "movement of water across a membrane"), ("Diffusion", "spread of particles from high to low"),
          ("Catalysis", "speeding up of a reaction by an enzyme"), ("Homeostasis", "keeping of a stable inner state"),
          ("Mitosis", "division of one cell into two identical cells"), ("Latency", "delay before data moves"),
          ("Bandwidth", "largest rate a link can carry"), ("Empathy", "feeling with another person")]


def _article(i: int, topic: str, meaning: str, deck: str = "Science") -> str:
    return (f"---\ndeck: {deck}::Unit {i % 3}\n---\n# {topic} basics {i}\n\n## What is {topic}?\n\n"
            f"{topic} is the {meaning}. {topic} is essential for the study of unit {i}.\n\n"
            f"- **Term {i}**: a word defined in article {i}.\n- **{topic} rate**: how fast the {meaning} goes.\n\n"
            f"## Why {topic} matters\n\nWhen the {meaning} fails, the whole system {i} suffers. "
            f"Who wouldn't want that, right?\n")


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    src = tmp_path / "src"
    src.mkdir()
    for i, (topic, meaning) in enumerate(TOPICS):
        (src / f"a{i}.md").write_text(_article(i, topic, meaning), encoding="utf-8")
    return src


def _build(src: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(app, ["build", str(src), "-o", str(out), "-q", "--json", str(out) + ".json", *extra])
    assert result.exit_code == 0, result.output + str(result.exception)


def _build_both(src: Path, out: Path, ref: Path, *extra: str) -> None:
    """The same build into `out` (cache on, in-process so spies see it) and into `ref` (no cache)."""
    _build(src, out, "--jobs", "1", *extra)
    _build(src, ref, "--no-cache", *extra)


def _outputs(out: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    files["cards.json"] = Path(str(out) + ".json").read_bytes()
    return files


def _record_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the articles the build actually reads and extracts (a cache hit does neither)."""
    built: list[str] = []
    real = articles.build_article

    def spy(file: Path, *args: object) -> articles.ArticleResult:
        built.append(file.name)
        return real(file, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(articles, "build_article", spy)
    return built


def test_parallel_build_is_byte_identical_to_serial(corpus: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pools: list[int] = []
    real_context = multiprocessing.get_context

    def counting_context(method: str | None = None) -> object:
        pools.append(1)
        return real_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", counting_context)
    _build(corpus, tmp_path / "serial", "--jobs", "1", "--no-cache")
    assert pools == []
    _build(corpus, tmp_path / "parallel", "--jobs", "2", "--no-cache")
    assert pools == [1]  # the second build really ran in a process pool
    serial, parallel = _outputs(tmp_path / "serial"), _outputs(tmp_path / "parallel")
    assert len([n for n in serial if n.endswith(".apkg")]) == 3
    assert serial == parallel


def test_cached_rebuild_builds_nothing_and_gives_the_same_output(corpus: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _build(corpus, tmp_path / "fresh", "--no-cache")
    _build(corpus, tmp_path / "out", "--jobs", "2")
    assert len(list((tmp_path / "out" / cache_mod.CACHE_DIR / "articles").iterdir())) == len(TOPICS)
    built = _record_built(monkeypatch)
    _build(corpus, tmp_path / "out", "--jobs", "2")
    assert built == []
    assert _outputs(tmp_path / "out") == _outputs(tmp_path / "fresh")


def test_changed_article_alone_is_rebuilt(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, ref = tmp_path / "out", tmp_path / "ref"
    _build_both(corpus, out, ref)
    (corpus / "a3.md").write_text(_article(3, "Homeostasis", "holding of a steady internal balance"), "utf-8")
    built = _record_built(monkeypatch)
    _build_both(corpus, out, ref)
    assert built == ["a3.md"]  # the cached build; the reference build read all of them again
    assert b"holding of a steady internal balance" in Path(str(out) + ".json").read_bytes()
    assert _outputs(out) == _outputs(ref)
    # the superseded entry of a3.md is gone: one entry per article
    assert len(list((tmp_path / "out" / cache_mod.CACHE_DIR / "articles").iterdir())) == len(TOPICS)


def test_curation_file_change_rebuilds_its_article(corpus: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _build(corpus, tmp_path / "out", "--jobs", "1")
    (corpus / "a0.curation.yaml").write_text('reject:\n  - "Osmosis is essential for the study of unit 0."\n',
                                             encoding="utf-8")
    built = _record_built(monkeypatch)
    _build(corpus, tmp_path / "out", "--jobs", "1")
    assert built == ["a0.md"]


def test_settings_change_rebuilds_every_article(corpus: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _build(corpus, tmp_path / "out", "--jobs", "1")
    (corpus / "pyproject.toml").write_text("[tool.certdeck]\nmax-article-mb = 2\n", encoding="utf-8")
    built = _record_built(monkeypatch)
    _build(corpus, tmp_path / "out", "--jobs", "1")
    assert sorted(built) == sorted(f"a{i}.md" for i in range(len(TOPICS)))


def test_new_certdeck_version_rebuilds_every_article(corpus: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _build(corpus, tmp_path / "out", "--jobs", "1")
    monkeypatch.setattr(generator, "__version__", generator.__version__ + ".post1")
    cache_mod._code_fingerprint.cache_clear()
    try:
        built = _record_built(monkeypatch)
        _build(corpus, tmp_path / "out", "--jobs", "1")
        assert len(built) == len(TOPICS)
    finally:
        cache_mod._code_fingerprint.cache_clear()


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_damaged_cache_entries_are_rebuilt_not_trusted(corpus: Path, tmp_path: Path, damage: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out, ref = tmp_path / "out", tmp_path / "ref"
    _build_both(corpus, out, ref)
    for entry in (out / cache_mod.CACHE_DIR / "articles").iterdir():
        data = entry.read_bytes()
        entry.write_bytes({"truncate": data[: len(data) // 2], "flip": data[:-10] + bytes(10),
                           "garbage": b"\x80\x04garbage", "empty": b""}[damage])
    built = _record_built(monkeypatch)
    _build(corpus, out, "--jobs", "1")
    assert len(built) == len(TOPICS)
    _build(corpus, ref, "--no-cache")
    assert _outputs(out) == _outputs(ref)
    built.clear()
    _build(corpus, out, "--jobs", "1")
    assert built == []  # the damaged entries were replaced by good ones


class _Planted:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("planted code ran",))


def test_cache_entry_that_would_run_code_is_refused(tmp_path: Path) -> None:
    # a well-formed entry (right header and checksum) whose payload calls a function: never unpickled
    entry = cache_mod.FORMAT + b"\x00" * 32
    payload = pickle.dumps((_Planted(),))
    import hashlib

    entry = cache_mod.FORMAT + hashlib.sha256(payload).digest() + payload
    with pytest.raises(cache_mod.CacheMiss):
        cache_mod.loads(entry)


def test_unchanged_deck_is_not_rewritten_but_a_touched_one_is(corpus: Path, tmp_path: Path) -> None:
    out, ref = tmp_path / "out", tmp_path / "ref"
    _build_both(corpus, out, ref)
    decks = sorted(out.glob("*.apkg"))
    before = {p.name: p.stat().st_mtime_ns for p in decks}
    (corpus / "a1.md").write_text(_article(1, "Diffusion", "net spread of molecules"), encoding="utf-8")
    decks[0].write_bytes(b"damaged by hand")
    _build_both(corpus, out, ref)
    after = {p.name: p.stat().st_mtime_ns for p in decks}
    changed = sorted(n for n in before if before[n] != after[n])
    # Unit 1 holds the edited article; Unit 0 was damaged by hand; Unit 2 is left alone
    assert changed == ["Science__Unit_0.apkg", "Science__Unit_1.apkg"]
    assert _outputs(out) == _outputs(ref)


def test_progress_bar_shows_on_a_terminal_and_never_when_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    bar = _ProgressBar(enabled=True)
    bar.DELAY = 0.0
    for done in range(1, 5):
        bar("articles", done, 4)
    bar.close()
    assert "articles" in screen.getvalue() and "4/4" in screen.getvalue()

    quiet = Terminal()
    monkeypatch.setattr(sys, "stdout", quiet)
    off = _ProgressBar(enabled=False)
    off.DELAY = 0.0
    off("articles", 1, 4)
    off.close()
    assert quiet.getvalue() == ""


def test_progress_bar_waits_about_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    bar = _ProgressBar(enabled=True)
    now = [bar.started]
    bar.clock = lambda: now[0]
    bar("articles", 1, 10)
    now[0] += 0.5
    bar("articles", 2, 10)
    assert screen.getvalue() == "" and bar.bar is None  # a short build never shows a bar
    now[0] += 0.6
    bar("articles", 3, 10)
    assert bar.bar is not None
    bar.close()


def test_changed_or_missing_image_rebuilds_its_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.cardutil import png

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    src = tmp_path / "src"
    (src / "img").mkdir(parents=True)
    (src / "cell.md").write_text("# Cells\n\nA ribosome is a molecular machine that builds proteins from amino "
                                 "acids ![ribosome](img/ribosome.png).\n", encoding="utf-8")
    (src / "gone.md").write_text("# Nuclei\n\nA nucleus is the organelle that stores the genetic material of a "
                                 "cell ![nucleus](img/nucleus.png).\n", encoding="utf-8")
    (src / "img" / "ribosome.png").write_bytes(png(40, 20, (200, 40, 40)))
    out, ref = tmp_path / "out", tmp_path / "ref"
    _build_both(src, out, ref)
    built = _record_built(monkeypatch)
    _build(src, out, "--jobs", "1")
    assert built == ["gone.md"]  # its image is missing: never cached, the file may appear
    (src / "img" / "ribosome.png").write_bytes(png(60, 30, (40, 200, 40)))
    (src / "img" / "nucleus.png").write_bytes(png(8, 8, (0, 0, 200)))
    built.clear()
    _build_both(src, out, ref)
    assert built == ["cell.md", "gone.md"]
    assert _outputs(out) == _outputs(ref)
    with zipfile.ZipFile(out / "Cells.apkg") as zf:
        assert png(60, 30, (40, 200, 40)) in [zf.read(n) for n in zf.namelist() if n.isdigit()]


def _killed(task: object) -> object:
    """A worker the system kills mid-task (as the out-of-memory killer does)."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
    return None


def test_a_worker_killed_mid_build_fails_the_build_instead_of_hanging(corpus: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(articles, "_build_task", _killed)
    result = CliRunner().invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "-q", "--jobs", "2",
                                      "--no-cache"])
    assert result.exit_code == 1
    assert "error:" in result.output and "worker process" in result.output
    assert not (tmp_path / "out" / "certdeck.lock.json").exists()  # nothing half-written


def test_lexicon_change_changes_the_code_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    # The gap chooser reads extract/common_words.tsv: a new table must rebuild cached articles.
    cache_mod._code_fingerprint.cache_clear()
    before = cache_mod._code_fingerprint()
    real = Path.read_bytes

    def edited(self: Path) -> bytes:
        return real(self) + b"\n# edited" if self.name == "common_words.tsv" else real(self)

    monkeypatch.setattr(Path, "read_bytes", edited)
    cache_mod._code_fingerprint.cache_clear()
    try:
        assert cache_mod._code_fingerprint() != before
    finally:
        monkeypatch.undo()
        cache_mod._code_fingerprint.cache_clear()
