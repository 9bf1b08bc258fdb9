"""Training scripts for mesorefs' models (not shipped in the wheel)."""
