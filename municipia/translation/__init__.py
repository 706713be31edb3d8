"""Machine translation of published content, through one interface with several backends.

See docs/decisions/0032-machine-translation.md.
"""
