"""Server-rendered town and agency pages, the open-data API, sitemap and robots: `register_site(server, model, dir)`."""

from dashboard.site.routes import register_site

__all__ = ["register_site"]
