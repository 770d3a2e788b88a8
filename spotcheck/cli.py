"""The command line: thin — parse, call a use case, print. `spotcheck --help` lists the steps of a quarter."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="spotcheck: seeded, auditable 'double random, one public' (双随机、一公开) spot checks.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _main() -> None:
    """Plan, freeze, seed, draw, assign and publish a quarter of joint spot checks."""


if __name__ == "__main__":
    app()
