"""The build: runs the stages in order over every article and writes the results.

In: PATHS, settings and OUT_DIR. Out: a planned `Build` (plan_build) and, when written (write_build),
decks, the cards JSON and the lock file, each written atomically. `pipeline` holds the order of the stages;
`cache` keeps each article's built notes in `OUT_DIR/.certdeck-cache/`; `workers` ties worker processes
to the build that started them.
"""
