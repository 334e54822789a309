"""The two note types certdeck ships: a frozen, versioned schema (fields and template names).

Changing FIELDS or a template's HTML makes Anki import the note type as a copy ("Name+") and strand the
old notes, so those are fixed per version; styling lives in CSS, which may change freely.
"""
from __future__ import annotations

CLOZE_MODEL_ID = 1_607_392_319  # fixed forever for "certdeck Cloze v1"
QA_MODEL_ID = 1_607_392_320  # fixed forever for "certdeck Q&A v1"
CLOZE_MODEL_NAME = "certdeck Cloze v1"
QA_MODEL_NAME = "certdeck Q&A v1"
CLOZE_FIELDS = ("Text", "Extra", "Context", "Sentence", "Source")
QA_FIELDS = ("Question", "Answer", "Extra", "Context", "Sentence", "Source")

_BACK_MATTER = """{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}
{{#Sentence}}<div class="sentence">{{Sentence}}</div>{{/Sentence}}
{{#Source}}<div class="source">{{Source}}</div>{{/Source}}"""

CLOZE_TEMPLATES = [{
    "name": "Cloze",
    "qfmt": """{{#Context}}<div class="context">{{Context}}</div>{{/Context}}
<div class="prompt">{{cloze:Text}}</div>""",
    "afmt": """{{#Context}}<div class="context">{{Context}}</div>{{/Context}}
<div class="prompt">{{cloze:Text}}</div>
<hr id="answer">
""" + _BACK_MATTER,
}]

QA_TEMPLATES = [{
    "name": "Q&A",
    "qfmt": """{{#Context}}<div class="context">{{Context}}</div>{{/Context}}
<div class="prompt">{{Question}}</div>""",
    "afmt": """{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
""" + _BACK_MATTER,
}]

CSS = """.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  font-size: 20px; line-height: 1.5; text-align: left;
  color: #1f2328; background-color: #ffffff;
  max-width: 42em; margin: 0 auto; padding: 16px;
  overflow-wrap: anywhere; word-break: normal;
}
.context { font-size: 16px; color: #57606a; margin-bottom: 0.6em; }
.prompt { font-size: 22px; }
.cloze { font-weight: 700; color: #0a58ca; }
.answer { font-size: 22px; font-weight: 700; color: #0a58ca; }
.extra { margin-top: 0.8em; }
.sentence { margin-top: 0.8em; padding-left: 0.8em; border-left: 3px solid #d0d7de; font-size: 17px; color: #424a53; }
.source { margin-top: 0.8em; font-size: 16px; color: #57606a; }
img { max-width: 100%; height: auto; }
pre, table { max-width: 100%; overflow-x: auto; }
.nightMode .card, .night_mode .card, .card.nightMode, .card.night_mode { color: #e6edf3; background-color: #1e1e1e; }
.nightMode .cloze, .night_mode .cloze, .nightMode .answer, .night_mode .answer { color: #79c0ff; }
.nightMode .context, .night_mode .context, .nightMode .source, .night_mode .source { color: #9da7b3; }
.nightMode .sentence, .night_mode .sentence { color: #c9d1d9; border-left-color: #3d444d; }
"""
