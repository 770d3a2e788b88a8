"""``python -m spotcheck.cli``: the same as the ``spotcheck`` console script."""

from spotcheck.cli import main

main()
