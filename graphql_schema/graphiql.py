"""GraphiQL for browsers at /graphql, its scripts and styles served by XunCha itself.

The GraphiQL bundle (with React) comes from the installed `graphene-django-graphiql-static`
wheel, used only as a carrier of those static files (none of its Django code is imported), so
the IDE works with no CDN and no internet. The page holds no data: queries it sends need a
bearer token like any other client's, entered in its headers editor."""

from __future__ import annotations

from starlette.staticfiles import StaticFiles

ASSETS_PACKAGE = ("graphene_django_graphiql_static", "static/graphene_django_graphiql_static")
ASSETS_PATH = "/graphql/assets"

GRAPHIQL_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>XunCha 巡察 — GraphiQL</title>
  <style>html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; width: 100%; }</style>
  <link rel="stylesheet" href="{assets}/graphiql.min.css">
  <script src="{assets}/react.production.min.js"></script>
  <script src="{assets}/react-dom.production.min.js"></script>
  <script src="{assets}/graphiql.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script>
    ReactDOM.render(
      React.createElement(GraphiQL, {
        fetcher: GraphiQL.createFetcher({ url: window.location.pathname }),
        defaultHeaders: JSON.stringify(
          { Authorization: "Bearer <a token from `xuncha token issue`>" }, null, 2),
        defaultEditorToolsVisibility: "headers",
        shouldPersistHeaders: false,
        defaultQuery: "{\\n  tenants { id code name level }\\n}\\n",
      }),
      document.getElementById("graphiql"),
    );
  </script>
</body>
</html>
"""


# The page may load code only from this server and talk only to it.
GRAPHIQL_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def graphiql_html() -> str:
    return GRAPHIQL_HTML.replace("{assets}", ASSETS_PATH)


def graphiql_assets() -> StaticFiles:
    """The GraphiQL scripts and styles, from the installed package."""
    return StaticFiles(packages=[ASSETS_PACKAGE])
