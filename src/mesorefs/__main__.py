"""``python -m mesorefs``: the ``mesorefs`` command."""

from mesorefs.cli import main

if __name__ == "__main__":  # pragma: no cover - run as a program
    main(prog_name="mesorefs")
