"""``python -m newsprism.cli``: the same as the ``newsprism`` command."""

from newsprism.cli.main import run

run()
