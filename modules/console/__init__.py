"""How the tool talks to people and to CI: text that wraps and colours (say.py), step-by-step
progress (progress.py), and the exit codes of every command (exit_codes.py). Every layer that
reports uses it; it imports nothing of ours."""
