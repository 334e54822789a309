"""Parse stage: an article's text -> a Document of Blocks with sections, sentences and source lines.

In: a Source's text. Out: `model.Document`. Text that is not Markdown yet is read as the Markdown it
stands for first (`pasted`: a page copied from a browser; `htmlblocks`: raw HTML tables and lists;
`outline`: indented study notes); `markdown` then parses it with markdown-it-py.
"""
