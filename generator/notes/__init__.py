"""Notes stage: selected Facts -> Notes (HTML fields, card views, tags, media) of certdeck's two note types.

In: Facts and their Document. Out: `model.Note`s. `make` builds each note; `render` writes field HTML
from the facts' text and Markdown, with the author's formatting carried over by `marks` and every field
ended by `finish` (sanitizer, cloze markup); `templates` is the frozen schema of the two note types;
`media` finds the images an article references; `preview` shows every card as Anki renders it.
"""
