"""coursegen: compile DVCTT digital-skills courseware into a site, leaflets, decks and coverage reports."""

__version__ = "0.1.0"
