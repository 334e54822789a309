"""Identity stage: Notes -> the same Notes with GUIDs, cloze numbers and mods kept from the lock file.

In: this build's notes and `certdeck.lock.json`. Out: stamped notes, the retired ones, and the new lock.
`match` runs the stage (`assign`); `similar` matches notes to lock entries by key, then similarity;
`ordinals` keeps each answer's cloze number; `ids` makes hash-based ids; `lockfile` reads and writes the
lock; `lockrepair` reads a damaged or conflicted one; `plan` reports what a build would change.
"""
