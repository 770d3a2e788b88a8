"""No page refers to an outside host: every page, and every script, stylesheet and image it loads, is served by
spotcheck itself (its own copies under ``spotcheck/web/static``), so the pages work on a network cut off from
the internet."""

from __future__ import annotations

import re
from collections.abc import Iterable

from fastapi.testclient import TestClient

# an attribute or a CSS url() that points at another host (``//host`` or ``http(s)://host``)
OUTSIDE = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.IGNORECASE
)
# a local script, stylesheet or image a page loads
ASSET = re.compile(r"""(?:src|href)=["'](/[^"'/][^"']*\.(?:js|css|png))["']""")
# a local file a page's script is configured with (Swagger UI's and ReDoc's ``url: '/static/...'``)
CONFIGURED = re.compile(r"""(?:Url|url|href)\s*[:=]\s*['"](/static[^'"]+)['"]""")


def assets_served_here(
    client: TestClient, pages: Iterable[str], *, statuses: Iterable[int] = (200,)
) -> set[str]:
    """Fetch each page and every asset the pages load. Each page answers with one of ``statuses``, each asset
    with 200, and neither a page nor a stylesheet names an outside host. Returns the assets, for the caller to
    check that the ones it expects were among them."""
    allowed = set(statuses)
    assets: set[str] = set()
    for path in pages:
        answer = client.get(path)
        assert answer.status_code in allowed, (path, answer.status_code)
        assert not OUTSIDE.search(answer.text), path
        assets |= set(ASSET.findall(answer.text)) | set(CONFIGURED.findall(answer.text))
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        if asset.endswith(".css"):
            assert not OUTSIDE.search(answer.text), asset
    return assets
