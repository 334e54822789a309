"""Memos of what is worked out from one article's own text, forgotten as a whole once the article is built.

Their reuse is within an article (a sentence asked about by several rules, a section's cue for each of
its notes); across articles they would only grow. Forgetting them after each article (`forget_article`,
called by article.build_article) keeps a worker at one article's memory, a third of what bounded caches
of thousands of sentences held after a few hundred articles, and is no slower. What outlives an article
(word stems, compiled patterns) keeps a plain lru_cache.

Measured with bench/ (100 articles, --jobs 2, 5 interleaved runs each, 2026-12-07): 5.5 s of CPU with the
article memos and structure.memo_by_identity, 22.9 s with none (medians); the smaller ones together 10%.
Fifteen that saved 1% together were removed; a memo stays only where it pays 5% (issue #16).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])
_CLEARS: list[Callable[[], None]] = []


def article_cache(maxsize: int = 1 << 12) -> Callable[[_F], _F]:
    """functools.lru_cache(maxsize), emptied by `forget_article`."""

    def wrap(function: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(function)
        _CLEARS.append(cached.cache_clear)
        return cached  # type: ignore[return-value]  # lru_cache's wrapper takes and returns what `function` does

    return wrap


def on_forget(clear: Callable[[], None]) -> None:
    """Have `forget_article` call `clear` too (a memo of another kind)."""
    _CLEARS.append(clear)


def forget_article() -> None:
    """Empty every article memo."""
    for clear in _CLEARS:
        clear()
