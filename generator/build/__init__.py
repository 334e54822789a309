"""The build: runs the stages in order over every article and writes the results.

In: PATHS, settings and OUT_DIR. Out: a planned `Build` (`pipeline.plan_build`) and, when written
(`pipeline.write_build`), the decks, the cards JSON and the lock file, each written atomically.
`pipeline` holds the order of the stages; `article` runs one article's own stages. The other modules
are each one device: `articles` (cache or build, in-process or pooled), `cache` and `entries` (the
article cache), `parts` and `assemble` (deck parts), `previous` and `carry` (the last lock; carrying
unchanged articles), `decks`, `atomic`, `folderlock`, `workers` and `gctuning`.
"""
