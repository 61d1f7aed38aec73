"""The web app: layout, callbacks, security headers and static assets."""
