"""An incremental build (articles carried from the cache and the lock) equals a full build on the same lock.

Each step changes the source, then builds twice from copies of the same output folder: once with the cache
(unchanged articles carried: their lock lines copied, their notes left pickled) and once with --no-cache
(every note matched against the lock afresh). The cards JSON, the lock file and every deck must be the same
bytes, and the cached build must really have carried something.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build.pipeline import Build, plan_build, write_build
from generator.config import Settings

T0 = 1_700_000_000
TOPICS = [("Osmosis", "movement of water across a membrane"), ("Diffusion", "spread of particles from high to low"),
          ("Catalysis", "speeding up of a reaction by an enzyme"), ("Homeostasis", "keeping of a stable inner state"),
          ("Mitosis", "division of one cell into two identical cells"), ("Latency", "delay before data moves"),
          ("Bandwidth", "largest rate a link can carry")]
SHARED = "A ribosome is a molecular machine that builds proteins from amino acids."


def _article(i: int, topic: str, meaning: str, extra: str = "") -> str:
    return (f"---\ndeck: Science::Unit {i % 3}\n---\n# {topic} basics {i}\n\n## What is {topic}?\n\n"
            f"{topic} is the {meaning}. {topic} is essential for the study of unit {i}.\n\n"
            f"- **Term {i}**: a word defined in article {i}.\n- **{topic} rate**: how fast the {meaning} goes.\n\n"
            f"## Why {topic} matters\n\nWhen the {meaning} fails, the whole system {i} suffers.\n\n"
            f"The {{{{c1::cortex {i}}}}} holds the {{{{c2::record {i}}}}} of the {topic.lower()}.\n{extra}")


def _outputs(out: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}
    files["cards.json"] = Path(str(out) + ".json").read_bytes()
    return files


def _build(src: Path, out: Path, now: int, cache: bool) -> Build:
    build = plan_build([src], Settings(now=now), out, jobs=1, use_cache=cache)
    assert not build.errors
    write_build(build, out, Path(str(out) + ".json"), use_cache=cache)
    return build


def _edit(src: Path) -> None:
    (src / "a1.md").write_text(_article(1, "Diffusion", "net spread of molecules"), encoding="utf-8")


def _add(src: Path) -> None:
    (src / "a9.md").write_text(_article(9, "Entropy", "spread of energy in a system", f"\n{SHARED}\n"),
                               encoding="utf-8")


def _delete(src: Path) -> None:
    (src / "a2.md").unlink()


def _rename(src: Path) -> None:
    (src / "a3.md").rename(src / "renamed-3.md")


def _drop_paragraph(src: Path) -> None:  # a4.md keeps retired notes in its section from now on
    text = (src / "a4.md").read_text(encoding="utf-8")
    (src / "a4.md").write_text(text.replace(f"\n{SHARED}\n", "").replace("- **Term 4**", "- **Word 4**"),
                               encoding="utf-8")


def _revive_elsewhere(src: Path) -> None:  # a5.md gets the sentence a4.md lost: it takes a4.md's retired note
    text = (src / "a5.md").read_text(encoding="utf-8")
    (src / "a5.md").write_text(text.replace(f"\n{SHARED}\n", "") + f"\n{SHARED}\n", encoding="utf-8")


def _nothing(src: Path) -> None:
    pass


STEPS = [("edit", _edit), ("add", _add), ("delete", _delete), ("rename", _rename),
         ("drop a paragraph", _drop_paragraph), ("revive elsewhere", _revive_elsewhere), ("nothing", _nothing)]


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    src, out = Path("src"), Path("out")
    src.mkdir()
    for i, (topic, meaning) in enumerate(TOPICS):
        extra = f"\n{SHARED}\n" if i in (4, 6) else ""  # two articles share a fact key
        (src / f"a{i}.md").write_text(_article(i, topic, meaning, extra), encoding="utf-8")
    _build(src, out, T0, cache=True)
    return src, out


@pytest.mark.parametrize("steps", [STEPS[:1], STEPS[1:2], STEPS[2:3], STEPS[3:4], STEPS],
                         ids=["edit", "add", "delete", "rename", "all in a row"])
def test_incremental_build_equals_a_full_build_on_the_same_lock(built: tuple[Path, Path], steps: list) -> None:
    src, out = built
    for n, (name, change) in enumerate(steps, 1):
        change(src)
        ref = Path(f"ref{n}")
        shutil.copytree(out, ref)
        shutil.copy(Path(str(out) + ".json"), Path(str(ref) + ".json"))
        incremental = _build(src, out, T0 + 86_400 * n, cache=True)
        full = _build(src, ref, T0 + 86_400 * n, cache=False)
        assert incremental.report.carried > 0 and full.report.carried == 0, name
        # the cached build did carry articles: the comparison means something
        assert incremental.report.counts() == full.report.counts(), name
        assert _outputs(out) == _outputs(ref), name
        assert (out / "certdeck.lock.json").read_bytes() == (ref / "certdeck.lock.json").read_bytes(), name


def test_a_lock_edited_by_hand_is_not_carried(built: tuple[Path, Path]) -> None:
    src, out = built
    _build(src, out, T0, cache=True)
    lock = out / "certdeck.lock.json"
    text = lock.read_text(encoding="utf-8")
    first = text.index('"hash": "') + len('"hash": "')
    lock.write_text(text[:first] + "0" * 16 + text[first + 16:], encoding="utf-8")  # one note now looks changed
    ref = Path("ref")
    shutil.copytree(out, ref)
    shutil.copy(Path(str(out) + ".json"), Path(str(ref) + ".json"))
    incremental = _build(src, out, T0 + 86_400, cache=True)
    full = _build(src, ref, T0 + 86_400, cache=False)
    assert incremental.report.counts()["changed"] == full.report.counts()["changed"] == 1
    assert incremental.report.carried > 0
    assert _outputs(out) == _outputs(ref)
