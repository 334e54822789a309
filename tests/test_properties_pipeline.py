"""Properties of the whole pipeline for any input (hypothesis): it terminates, it is deterministic, it emits
valid cards JSON, and every field of every note passes the safety check (tests/safety.py).

The same harness is the atheris fuzz target's (tests/fuzz/); this is its fast, always-on part.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import build_bytes, check_output

# Pieces an article is made of, hostile ones included; hypothesis strings them together and mutates them.
PIECES = ["# Title\n", "## Section?\n", "\n", "\n\n", "- ", "1. ", "> ", "    ", "| a | b |\n|---|---|\n| x | y |\n",
          "A ribosome is a molecular machine that builds proteins. ", "Trust is the cornerstone of care. ",
          "**Term**: a definition of the term\n", "Term\n: definition\n", "{{c1::answer}} ", "{{c1::", "}}", "==hi== ",
          "Q: What is a cell?\nA: The unit of life.\n", "<script>alert(1)</script>", "<b onclick=\"x()\">b</b> ",
          "<a href=\"javascript:alert(1)\">x</a> ", "<img src=\"data:image/png;base64,AA\" onerror=\"alert(1)\">",
          "<iframe src=\"http://e\"></iframe>", "<style>p{}</style>", "![img](../x.png) ", "$x^2$ ", "`code` ",
          "```\ncode\n```\n", "---\ndeck: [1]\n---\n", "---\ntags: {a: 1}\ntitle: T\n---\n",
          "<!-- certdeck: skip -->\n",
          "{{Text}} ", "&lt;&amp; ", "\r\n", "\r", "\t", "é “quoted” — ", "\x00", "\ufeff", "\ud7ff"]
articles = st.one_of(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=40).map("".join),
    st.text(max_size=300),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(articles)
def test_any_text_builds_valid_safe_deterministic_output(article: str) -> None:
    data = article.encode("utf-8", "surrogatepass")
    first = build_bytes(data)
    check_output(*first)
    assert build_bytes(data) == first


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_build_valid_safe_output(data: bytes) -> None:
    check_output(*build_bytes(data))
    check_output(*build_bytes(data, "notes.txt"))
