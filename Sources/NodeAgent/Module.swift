// Module NodeAgent: filled in by its owner.
