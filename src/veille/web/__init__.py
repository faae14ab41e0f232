"""The web application: server-rendered pages behind a login."""
