"""Pure analysis library: names, record linkage, capture-recapture, disclosure control.

Nothing in this package imports Django; it runs from the CLI, notebooks and the web app alike.
"""
