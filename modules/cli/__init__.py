"""The command line: the parser, one module per command (commands/), the exit codes, the
--json envelope, and text for people (say.py, progress.py)."""
