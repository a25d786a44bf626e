// Module ManagedRuntime: filled in by its owner.
