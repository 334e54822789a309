"""The two note types certdeck ships: a frozen, versioned schema (fields, template names and template HTML).

Changing FIELDS or a template's HTML makes Anki import the note type as a copy ("Name+") and strand the
old notes, so those are fixed per version. The templates are therefore plain structure (one wrapper per
side, one element per field, classes only) and every visual decision lives in CSS, which may change
freely between builds: colours, sizes, spacing, labels (CSS `content:`), night mode.

No JavaScript anywhere (AnkiDroid and AnkiMobile break on it); MathJax `\\(...\\)` is rendered by Anki.
"""
from __future__ import annotations

CLOZE_MODEL_ID = 1_607_392_319  # fixed forever for "certdeck Cloze v1"
QA_MODEL_ID = 1_607_392_320  # fixed forever for "certdeck Q&A v1"
CLOZE_MODEL_NAME = "certdeck Cloze v1"
QA_MODEL_NAME = "certdeck Q&A v1"
CLOZE_FIELDS = ("Text", "Extra", "Context", "Sentence", "Source")
QA_FIELDS = ("Question", "Answer", "Extra", "Context", "Sentence", "Source")

# Frozen with v1 of both note types: do not edit (a new version gets new names and IDs).
CLOZE_TEMPLATES = [{
    "name": "Cloze",
    "qfmt": """<div class="cd cd-cloze cd-front">
{{#Context}}<div class="cd-context">{{Context}}</div>{{/Context}}
<div class="cd-text">{{cloze:Text}}</div>
</div>""",
    "afmt": """<div class="cd cd-cloze cd-back">
{{#Context}}<div class="cd-context">{{Context}}</div>{{/Context}}
<div class="cd-text">{{cloze:Text}}</div>
<hr id="answer">
{{#Extra}}<div class="cd-extra">{{Extra}}</div>{{/Extra}}
{{#Sentence}}<div class="cd-sentence">{{Sentence}}</div>{{/Sentence}}
{{#Source}}<div class="cd-source">{{Source}}</div>{{/Source}}
</div>""",
}]

QA_TEMPLATES = [{
    "name": "Q&A",
    "qfmt": """<div class="cd cd-qa cd-front">
{{#Context}}<div class="cd-context">{{Context}}</div>{{/Context}}
<div class="cd-question">{{Question}}</div>
</div>""",
    "afmt": """<div class="cd cd-qa cd-back">
{{#Context}}<div class="cd-context">{{Context}}</div>{{/Context}}
<div class="cd-question">{{Question}}</div>
<hr id="answer">
<div class="cd-answer">{{Answer}}</div>
{{#Extra}}<div class="cd-extra">{{Extra}}</div>{{/Extra}}
{{#Sentence}}<div class="cd-sentence">{{Sentence}}</div>{{/Sentence}}
{{#Source}}<div class="cd-source">{{Source}}</div>{{/Source}}
</div>""",
}]

# Styling: free to change in any build. Every rule is scoped under .card so nothing leaks into a
# reviewer's own page; colours are custom properties so night mode only swaps the palette. No media
# queries: the layout is fluid from 320 px phones to desktop windows (a measure of ~40em caps lines).
# The two palettes, as CSS custom properties on .card; the preview page reuses them for its toggle.
LIGHT = {
    "--cd-fg": "#1f2328", "--cd-bg": "#ffffff", "--cd-muted": "#4f5863", "--cd-rule": "#d0d7de",
    "--cd-accent": "#0550ae", "--cd-gap-bg": "#ddf4ff", "--cd-gap-line": "#0969da",
    "--cd-answer-fg": "#0a3069", "--cd-answer-bg": "#fff3b0", "--cd-quote-bar": "#8c959f",
    "--cd-soft-bg": "#f6f8fa",
}
NIGHT = {
    "--cd-fg": "#e6edf3", "--cd-bg": "#161b22", "--cd-muted": "#a8b3bf", "--cd-rule": "#3d444d",
    "--cd-accent": "#79c0ff", "--cd-gap-bg": "#0c2d4d", "--cd-gap-line": "#58a6ff",
    "--cd-answer-fg": "#fff5b1", "--cd-answer-bg": "#4d3b00", "--cd-quote-bar": "#6e7681",
    "--cd-soft-bg": "#21262d",
}


def palette_css(palette: dict[str, str]) -> str:
    """A palette as CSS declarations."""
    return " ".join(f"{name}: {value};" for name, value in palette.items())


CSS = f""".card {{
  {palette_css(LIGHT)}
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.55; text-align: left;
  color: var(--cd-fg); background-color: var(--cd-bg);
  overflow-wrap: break-word; -webkit-text-size-adjust: 100%; text-size-adjust: 100%;
}}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {{ {palette_css(NIGHT)} }}
""" + """.card .cd { max-width: 40em; margin: 0 auto; padding: 0.25em 0.6em 1em; box-sizing: border-box; }
.card .cd-context {
  font-size: 16px; line-height: 1.4; color: var(--cd-muted); font-weight: 600;
  letter-spacing: 0.01em; margin: 0 0 0.7em;
}
.card .cd-text, .card .cd-question { font-size: 22px; line-height: 1.5; }
.card .cd-answer {
  font-size: 22px; font-weight: 700; color: var(--cd-answer-fg); background: var(--cd-answer-bg);
  border-radius: 6px; padding: 0.3em 0.5em; margin: 0.8em 0 0;
}
.card .cd-front .cloze {
  font-weight: 700; color: var(--cd-accent); background: var(--cd-gap-bg);
  border-bottom: 3px solid var(--cd-gap-line); border-radius: 4px; padding: 0 0.3em;
  -webkit-box-decoration-break: clone; box-decoration-break: clone;
}
.card .cd-back .cloze {
  font-weight: 700; color: var(--cd-answer-fg); background: var(--cd-answer-bg);
  border-radius: 4px; padding: 0 0.2em;
}
.card .cloze-inactive { font-weight: inherit; color: inherit; }
.card hr#answer { border: 0; border-top: 1px solid var(--cd-rule); margin: 1.1em 0 0.9em; }
.card .cd-extra { margin: 0.9em 0 0; }
.card .cd-sentence {
  font-size: 18px; line-height: 1.5; color: var(--cd-fg); margin: 0.9em 0 0;
  padding: 0.1em 0 0.1em 0.8em; border-left: 4px solid var(--cd-quote-bar);
}
.card .cd-sentence::before {
  content: "From the text"; display: block; font-size: 16px; font-weight: 600; color: var(--cd-muted);
}
.card .cd-source { font-size: 16px; line-height: 1.45; color: var(--cd-muted); margin: 0.9em 0 0; }
.card .cd-crumbs { display: block; }
.card .cd-file { display: block; }
.card img { max-width: 100%; height: auto; display: block; margin: 0.5em 0; border-radius: 4px; }
.card .cd-img-wide { background: #ffffff; }
.card code {
  font-family: "Noto Sans Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em;
  background: var(--cd-soft-bg); border-radius: 4px; padding: 0.05em 0.25em;
}
.card pre.cd-code {
  font-family: "Noto Sans Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 16px;
  line-height: 1.45; white-space: pre-wrap; overflow-wrap: anywhere; text-align: left;
  color: #e6edf3; background: #0d1117; border-radius: 6px; padding: 0.6em 0.75em; margin: 0.6em 0;
}
.card pre.cd-code code { background: none; padding: 0; font-size: inherit; color: inherit; }
.card table {
  border-collapse: collapse; display: block; max-width: 100%; overflow-x: auto;
  font-size: 18px; margin: 0.5em 0;
}
.card th, .card td { border: 1px solid var(--cd-rule); padding: 0.25em 0.5em; vertical-align: top; }
.card th { background: var(--cd-soft-bg); text-align: left; }
.card ul, .card ol { margin: 0.3em 0; padding-left: 1.4em; }
.card li { margin: 0.15em 0; }
.card p { margin: 0 0 0.5em; }
.card p:last-child { margin-bottom: 0; }
.card blockquote { margin: 0.5em 0; padding-left: 0.8em; border-left: 4px solid var(--cd-quote-bar); }
.card a { color: var(--cd-accent); }
.card mark { background: var(--cd-answer-bg); color: inherit; }
"""
