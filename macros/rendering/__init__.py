"""The model as Markdown and HTML strings for the site's pages. Every string that came from YAML is
escaped here; every link is relative to the page it is on. Imports only the domain (macros.kb).

    markup       escaping, elements, relative links, safe URLs, JSON for a <script>
    claims       a claim with its kind badge and citation markers
    statuses     statuses and dates, each as of its source
    lifecycle    an event's unit changes and a unit's lifecycle, in words with their links
    pages        the pages of people, units, events and discrepancies
    source       a source's page: its archived text with every quoted passage highlighted
    overview     index tables, the timeline, the discrepancies page, the organization chart
    orgchart     before-and-after diagrams of reorganizations, as inline SVG
    reference    the record format reference, from the schemas
    performance  the Performance page's tables, from the benchmark's results
    history      the Recent changes page and each record's History section, from the git history
    diffreport   a comparison of two revisions (kb diff) as text, GitHub Markdown (escaped for it) or JSON
    problems     the page a preview shows while the data has problems: every problem, escaped
"""

__all__ = [
    "claims",
    "diffreport",
    "history",
    "lifecycle",
    "markup",
    "orgchart",
    "overview",
    "pages",
    "performance",
    "problems",
    "reference",
    "source",
    "statuses",
]
