"""Admin commands of `python -m app`: one module per command, each with `register` and `run`.

A module's `register(sub, common)` adds its subparser (with `common` as a parent, for --db and
--json) and sets `func=run` on it; `run(args) -> int` is the exit code.
"""
