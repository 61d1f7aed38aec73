"""What the Flask server answers beside the pages: the ETag helper, the table downloads and the slide images."""
