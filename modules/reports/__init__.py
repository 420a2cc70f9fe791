"""Reports for people: cost, the diagram, the generated tables of help/."""
