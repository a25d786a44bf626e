// Module CRI: filled in by its owner.
