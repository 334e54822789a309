"""`python -m generator` runs the certdeck command line."""
from .cli import main

main()
