"""The HTML around every server-rendered page: head metadata, one inline stylesheet (screen and print), footer."""

from __future__ import annotations

import html
from dataclasses import dataclass

from dashboard.web.layout import TITLE

#: Plain CSS, inline so that a page is one request; `@media print` turns a town page into a one-page brief.
STYLE = """
:root{color-scheme:light}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;margin:0}
.site,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}
.site{padding-top:.75rem;font-size:.9em}
a{color:#0b57a4}
h1{font-size:1.9em;line-height:1.2;margin:.5em 0 .25em}
h2{font-size:1.2em;margin:1.5em 0 .5em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.sub{color:#444;margin:0 0 1em}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #555;vertical-align:-.1em;margin-right:.4em}
.class{font-size:1.1em}
.note{color:#444;font-size:.9em}
.zero{font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #e3e3e3;padding:.3em .4em}
td.num,th.num{text-align:right;white-space:nowrap}
.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;justify-content:space-between}
.top>div{flex:1 1 20rem}
figure{margin:0;flex:0 0 16rem}
figure svg{width:16rem;height:auto;display:block}
figcaption{font-size:.8em;color:#444}
.open{display:inline-block;margin:.5em 0;padding:.4em .8em;border:1px solid #0b57a4;border-radius:4px;
text-decoration:none;font-weight:600}
footer{margin-top:2rem;padding-bottom:2rem;border-top:1px solid #ddd;font-size:.85em;color:#444}
form{margin:1em 0}
input[type=search]{font-size:1em;padding:.3em;width:16rem;max-width:70%}
button{font-size:1em;padding:.3em .8em}
ul.places{columns:14rem}
body:has(table.compare) :is(.site,main,footer){max-width:76rem}
table.compare{table-layout:fixed}
.compare th[scope=row]{width:7.5rem;font-size:.95em}
.compare thead th a{font-size:1.15em}
.compare thead .sub{display:block;font-weight:400;font-size:.85em;color:#444;margin:0}
.compare svg{width:100%;max-width:16rem;height:auto;display:block}
.compare ul{padding-left:1.1em;margin:.2em 0}
.compare td p{margin:.2em 0}
.compare-form label{white-space:nowrap}
@media screen and (max-width:40rem){.compare th[scope=row]{display:block;width:auto;padding-top:.8em}
.compare thead{display:block}.compare thead td{display:none}.compare thead th{display:block;border:0}
.compare svg{max-width:12rem}}
@media screen and (max-width:40rem){
thead{display:none}
tr{display:block;border-bottom:1px solid #ccc;padding:.4em 0}
td{display:block;border:0;padding:.05em 0}
td.num{text-align:left}
td[data-label]::before{content:attr(data-label) ": ";color:#444}
}
@media print{
@page{size:auto;margin:10mm 12mm}
body{font-size:8pt;line-height:1.25}
.site,.noprint,form{display:none}
main,footer{max-width:none;padding:0}
h1{font-size:16pt;margin:0 0 .1em}
h2{font-size:10pt;margin:.5em 0 .15em;break-after:avoid}
.class{font-size:1em}
p,ul{margin:.25em 0}
ul{padding-left:1.2em}
table{font-size:1em}
th,td{padding:.05em .25em}
.top{gap:4mm}
.top>div{flex-basis:60%}
figure{flex-basis:42mm}
figure svg{width:42mm}
ul.agencies{columns:2;column-gap:6mm}
a{color:#000;text-decoration:none}
tr,li{break-inside:avoid}
footer{margin-top:.6em;padding:0;font-size:.9em}
}
"""


def e(value: object) -> str:
    """Text made safe for HTML, quotes included (it goes into attributes too)."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Site:
    """What every page's footer says: the data version and the source credit."""

    version: str
    credit: str
    source_url: str
    source_title: str


@dataclass(frozen=True)
class Preview:
    """The image a link card shows for a page: its path on this site, its size in pixels, what it shows in words."""

    path: str
    width: int
    height: int
    alt: str


def _card(image: Preview | None, base_url: str) -> str:
    """Open Graph and Twitter tags naming the page's preview image by its absolute address (none without one)."""
    if image is None:
        return ""
    return f"""
<meta property="og:image" content="{e(base_url.rstrip("/") + image.path)}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="{image.width}">
<meta property="og:image:height" content="{image.height}">
<meta property="og:image:alt" content="{e(image.alt)}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:image:alt" content="{e(image.alt)}">"""


def document(
    site: Site,
    *,
    base_url: str,
    path: str,
    title: str,
    description: str,
    body: str,
    data_path: str | None = None,
    image: Preview | None = None,
) -> str:
    """A whole page: `body` (already escaped HTML) with its title, description, canonical address, preview image
    and footer. `base_url` is the site's public address: every absolute address on the page starts with it."""
    canonical = base_url.rstrip("/") + path
    data_link = f' · <a href="{e(data_path)}">This page as data (JSON)</a>' if data_path else ""
    source = f'Records page: <a href="{e(site.source_url)}">{e(site.source_title)}</a>'
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<meta name="description" content="{e(description)}">
<link rel="canonical" href="{e(canonical)}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="{e(TITLE)}">
<meta property="og:title" content="{e(title)}">
<meta property="og:description" content="{e(description)}">
<meta property="og:url" content="{e(canonical)}">{_card(image, base_url)}
<style>{STYLE}</style>
</head>
<body>
<nav class="site" aria-label="Site"><a href="/">{e(TITLE)}</a> · <a href="/town-search">All towns and agencies</a></nav>
<main>
{body}
</main>
<footer>
<p>Data version {e(site.version)} · {e(site.credit)} {source}{data_link}</p>
</footer>
</body>
</html>
"""


def search_form(value: str = "") -> str:
    """A search box that finds a town or agency page by name (GET, so it works without JavaScript)."""
    return (
        '<form action="/town-search" method="get" role="search">'
        '<label for="q">Find a town or agency</label> '
        f'<input id="q" name="q" type="search" value="{e(value)}" autocomplete="off"> '
        '<button type="submit">Search</button></form>'
    )
