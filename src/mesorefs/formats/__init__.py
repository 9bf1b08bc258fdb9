"""Reference formats other than BibTeX: CSL-JSON and RIS."""
