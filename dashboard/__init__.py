"""The map of surveillance vendor reach in Massachusetts."""
