// Module KubeTypes: filled in by its owner.
