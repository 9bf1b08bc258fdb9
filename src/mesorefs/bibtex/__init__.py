"""Reading and writing BibTeX: parsing, field encoding and export."""
