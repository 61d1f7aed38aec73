"""Reading and validating data/ and the boundaries, and building the read-only model."""
