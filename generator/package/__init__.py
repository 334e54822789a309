"""Package stage: stamped Notes -> one .apkg per deck, the cards JSON, and no stale deck left behind.

In: the build's notes, by deck. Out: files in OUT_DIR. `apkg` writes decks through genanki (the only
module that imports it); `export` writes the cards JSON (schema certdeck.cards/1); `stale` finds the
decks a build no longer makes, to remove them once the new ones are written.
"""
