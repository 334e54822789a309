"""Anki: sending built decks to a running Anki through the AnkiConnect add-on (`certdeck push`).

In: the .apkg files and lock of a build. Out: the learner's collection updated by GUID. `push` does the
work; `ankiconnect` is a small HTTP client of the add-on's API.
"""
