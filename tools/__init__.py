"""The project's own tools, outside the product: the generator of the docs' tables, module READMEs
and pinned refs (`python -m tools.docs`), and what it pins modules by."""
