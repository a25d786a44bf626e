// Module TestSupport: filled in by its owner.
