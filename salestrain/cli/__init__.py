"""Subcommands of ``salestrain`` beyond the core ones, one module per feature.

Each module here defines ``COMMANDS``, a list of click commands; ``salestrain.cli.main``
adds them all, so a module adds its commands without editing cli.py.
"""
