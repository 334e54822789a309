"""Read stage: article files -> Sources (decoded text, front matter split off, line numbers kept).

In: the PATHS given to `certdeck build` (files or folders). Out: a `sources.Source` per article.
`sources` finds and decodes files within a size limit and reads their front matter; `convert/` turns a
saved web page, a PDF or a Word file into a Markdown article (also what `certdeck add` saves).
"""
