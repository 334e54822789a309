"""Field HTML (generator/notes/render.py): formatting, math, lists and tables, code, and the sanitizer."""
from __future__ import annotations

import re

import pytest

from generator.model import Gap
from generator.notes.finish import field_problems, sanitize
from generator.notes.render import cloze_field, markdown_html, source_field, text_field


def gap(text: str, word: str, ordinal: int = 1, hint: str = "") -> Gap:
    start = text.index(word)
    return Gap(start, start + len(word), ordinal, hint)


def test_text_is_escaped_and_braces_cannot_make_a_cloze() -> None:
    field = text_field("a < b & {{c1::x}} {{Text}}")
    assert field == "a &lt; b &amp; &#123;&#123;c1::x&#125;&#125; &#123;&#123;Text&#125;&#125;"


def test_emphasis_and_inline_code_are_carried_from_the_markdown() -> None:
    text = "A ribosome builds proteins with git rebase."
    field = cloze_field(text, [gap(text, "ribosome")], "A **ribosome** builds *proteins* with `git rebase`.")
    assert field == "A {{c1::<b>ribosome</b>}} builds <i>proteins</i> with <code>git rebase</code>."


def test_formatting_survives_a_cleaned_sentence() -> None:
    # The extraction trims filler and capitalises; the alignment still finds the bold term.
    field = text_field("Trust is the cornerstone.", "So, my friends, **trust** is the cornerstone.")
    assert field == "<b>Trust</b> is the cornerstone."


def test_tags_never_straddle_a_cloze_boundary() -> None:
    text = "The big red fox"
    field = cloze_field(text, [gap(text, "red fox")], "The **big red** fox")
    assert field == "The <b>big </b>{{c1::<b>red</b> fox}}"


def test_math_becomes_mathjax_inside_and_around_clozes() -> None:
    text = "Energy is $E = mc^2$ and $$a^2 + b^2$$ holds."
    assert cloze_field(text, [gap(text, "mc^2")]) == "Energy is \\(E = {{c1::mc^2}}\\) and \\[a^2 + b^2\\] holds."
    assert cloze_field(text, [gap(text, "$E = mc^2$")]) == \
        "Energy is {{c1::\\(E = mc^2\\)}} and \\[a^2 + b^2\\] holds."
    assert text_field("costs $5 and $10") == "costs $5 and $10"  # money is not math


def test_math_braces_are_references_so_a_cloze_in_math_cannot_end_early() -> None:
    text = "The ratio $\\frac{a}{b^{2}}$ matters"
    field = cloze_field(text, [gap(text, "$\\frac{a}{b^{2}}$")])
    assert field == "The ratio {{c1::\\(\\frac&#123;a&#125;&#123;b^&#123;2&#125;&#125;\\)}} matters"
    assert field.count("}}") == 1


def test_hint_and_colons_in_a_gap() -> None:
    text = "Call it at https://x.org now"
    field = cloze_field(text, [gap(text, "https://x.org", hint="a URL: full")])
    assert field == "Call it at {{c1::https&#58;//x.org::a URL&#58; full}} now"


def test_lines_become_lists_and_tables() -> None:
    text = "Steps:\n- Stage\n- Commit\n| Term | Meaning |\n|---|---|\n| FF | ahead |"
    field = cloze_field(text, [gap(text, "Stage"), gap(text, "Commit", 2), gap(text, "FF", 3)])
    assert field == ("<div>Steps:</div><ul><li>{{c1::Stage}}</li><li>{{c2::Commit}}</li></ul>"
                     "<table><tbody><tr><th>Term</th><th>Meaning</th></tr>"
                     "<tr><td>{{c3::FF}}</td><td>ahead</td></tr></tbody></table>")


def test_code_blocks_are_highlighted_with_inline_styles() -> None:
    field = markdown_html("```python\nif x:\n    print('{hi}')\n```")
    assert field.startswith('<pre class="cd-code"><code>') and 'style="color:' in field
    assert "class=" not in field.replace('class="cd-code"', "")
    assert "&#123;hi&#125;" in field and not field_problems(field)


def test_markdown_lists_tables_math_and_author_clozes() -> None:
    field = markdown_html("- **one** $x_1$\n- {{c1::two::hint}}\n\n| a | b |\n|--:|---|\n| 1 | 2 |")
    assert "<li><strong>one</strong> \\(x_1\\)</li>" in field
    assert "<li>{{c1::two::hint}}</li>" in field
    assert '<td style="text-align:right">1</td>' in field


HOSTILE = [
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    "<iframe src='https://evil.example'></iframe>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href=' JaVaScRiPt:alert(1)'>x</a>",
    "<img src='data:image/png;base64,AAAA'>",
    "<img src='https://evil.example/track.png'>",
    "<img src='../../etc/passwd'>",
    "<div onclick='x()' style='position:fixed;top:0'>cover</div>",
    "<svg><script>alert(1)</script></svg>",
    "<object data='x.swf'></object><embed src='x'>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action='https://evil.example'><input name=q></form>",
    "<span style='background:url(https://evil.example/x)'>t</span>",
    "<<script>script>alert(1)<</script>/script>",
    "<!-- <script>x</script> --><b>ok</b>",
    "<link rel=stylesheet href=https://evil.example/x.css><meta http-equiv=refresh content=0>",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_sanitizer_lets_nothing_run_or_load(raw: str) -> None:
    for field in (markdown_html(f"Text {raw} end"), sanitize(raw)):
        assert not field_problems(field), field
        assert not re.search(r"<(script|style|iframe|svg|object|embed|form|link|meta|input)\b", field, re.I), field
        assert not re.search(r"\son[a-z]+=|javascript:|data:|evil\.example|position", field, re.I), field


def test_field_problems_flags_what_would_run() -> None:
    assert field_problems('<img src="cd-0123456789ab-x.png">') == []
    assert "event handler attribute" in field_problems('<b onclick="x()">')
    assert "javascript:/data: URL" in field_problems('<a href="javascript:x">')
    assert "image that is not packaged media" in field_problems('<img src="https://e.org/a.png">')
    assert "forbidden tag" in field_problems("<script>x</script>")


def test_source_breadcrumb() -> None:
    field = source_field("Cells", ["Cells", "Organelles"], "source/cells.md", 12)
    assert field == ('<span class="cd-crumbs">Cells › Organelles</span> '
                     '<span class="cd-file">source/cells.md, line 12</span>')
