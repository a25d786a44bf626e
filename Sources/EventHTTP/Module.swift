// Module EventHTTP: filled in by its owner.
