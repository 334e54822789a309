"""Faster paths of parse, model, render, notes and select give exactly what the general ones give."""
from __future__ import annotations

import dataclasses
import inspect
import pickle
import re

from hypothesis import given
from hypothesis import strategies as st

from generator import model
from generator.parse import _collapse_spaces, _without_attrs

SPACES = list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2000\u2028\u3000\ufeff\u200b") + ["a", "b", "{:", "}", "{: x}"]


@given(st.lists(st.sampled_from(SPACES), max_size=20))
def test_space_collapsing_and_attribute_removal_match_the_regexes(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _collapse_spaces(text) == re.sub(r"\s+", " ", text).strip()
    assert _without_attrs(text) == re.sub(r"\{:[^{}\n]*\}", "", text)


def test_every_code_point_is_white_space_to_the_regex_exactly_when_str_split_says_so() -> None:
    pattern = re.compile(r"\s")
    assert [c for c in map(chr, range(0x110000)) if bool(pattern.match(c)) != c.isspace()] == []


MODEL_CLASSES = [obj for obj in vars(model).values() if isinstance(obj, type) and dataclasses.is_dataclass(obj)]


def test_quick_init_keeps_each_data_class_signature_defaults_and_behaviour() -> None:
    assert len(MODEL_CLASSES) >= 9
    for cls in MODEL_CLASSES:
        # The signature dataclasses would write: the same names, order and defaults.
        reference = dataclasses.make_dataclass(cls.__name__, [(f.name, f.type, f) for f in dataclasses.fields(cls)],
                                               frozen=True, slots=True)
        params = list(inspect.signature(cls).parameters.values())
        ref_params = list(inspect.signature(reference).parameters.values())
        assert [p.name for p in params] == [p.name for p in ref_params] == [f.name for f in dataclasses.fields(cls)]
        for f, p in zip(dataclasses.fields(cls), params):
            if f.default is not dataclasses.MISSING:
                assert p.default == f.default
            elif f.default_factory is dataclasses.MISSING:
                assert p.default is inspect.Parameter.empty


def test_quick_init_objects_are_frozen_equal_hashable_and_pickle() -> None:
    ref = model.SourceRef("a.md", 3, ("Top",), "A sentence.")
    note = model.Note("cloze", "Deck", (("Text", "x"),), (), ("t",), ref, "claim", 0.5, "key")
    assert note.extra == {} and note.extra is not model.Note("qa", "D", (), (), (), ref, "r", 0.1, "k").extra
    assert note == model.Note(kind="cloze", deck="Deck", fields=(("Text", "x"),), cards=(), tags=("t",), source=ref,
                              rule="claim", score=0.5, key="key")
    assert dataclasses.replace(note, guid="g").guid == "g" and note.guid == ""
    try:
        note.guid = "changed"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("not frozen")
    block = model.Block("paragraph", "T.", 1, (), (model.Sentence("T.", 1),), list_id=2)
    assert hash(block) == hash(model.Block("paragraph", "T.", 1, (), (model.Sentence("T.", 1),), list_id=2))
    assert pickle.loads(pickle.dumps(block)) == block and pickle.loads(pickle.dumps(note)) == note
    assert repr(ref) == "SourceRef(path='a.md', line=3, section=('Top',), sentence='A sentence.')"
