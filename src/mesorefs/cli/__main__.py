"""``python -m mesorefs.cli``: the ``mesorefs`` command."""

from mesorefs.cli import main

main()
