"""ProveIt 2026 exchange helpers, shared by the site and the areas."""

import json

SCHEMA_VERSION = 2


def toExchange(area, line, counts):
    """Serialise line counts for the ProveIt exchange feed."""
    return json.dumps({"v": SCHEMA_VERSION, "area": area, "line": line, "counts": counts}, sort_keys=True)
