// Module ContainerLogs: filled in by its owner.
