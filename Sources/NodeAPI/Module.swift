// Module NodeAPI: filled in by its owner.
