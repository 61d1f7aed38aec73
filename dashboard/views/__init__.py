"""What the page and the slides show: the map figure, the panels, the tables and the words."""
