"""Select stage: extracted Facts -> the Facts worth a card, and the last gate on the notes made of them.

In: the Facts `extract` found in a Document. Out: the Facts kept, in document order. `curation` applies a
person's decisions (reject, pin, edit) from `ARTICLE.curation.yaml`; `selection` drops what is not
worth a card and merges near-duplicates; `gate` runs after note making and drops any note whose cards
`certdeck lint` would flag, or that asks what another already asks.
"""
