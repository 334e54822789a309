"""Print the rebuild table of issue #4: per edit scenario, what re-importing the rebuilt deck did to a studied
collection, measured with the official anki package (desktop's default import options).

    PYTHONPATH=. python3 bench/rebuild_table.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rebuild_scenarios import SCENARIOS, make_v1, rebuild_and_reimport


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        v1 = make_v1(Path(tmp) / "v1")
        print("| scenario | notes matched | updated | added | duplicated | reviews kept "
              "| plan (new/changed/unchanged/retired) |")
        print("|---|---|---|---|---|---|---|")
        for i, scenario in enumerate(SCENARIOS):
            o = rebuild_and_reimport(v1, Path(tmp) / f"s{i}", scenario)
            c = o.build.report.counts()
            print(f"| {scenario.name} | {o.matched}/{len(o.notes_before)} | {o.updated} | {o.added} | {o.duplicated} "
                  f"| {len(o.kept)}/{len(o.reviewed_cards)} cards | {c['new']}/{c['changed']}/{c['unchanged']}/"
                  f"{c['retired']} |")


if __name__ == "__main__":
    main()
