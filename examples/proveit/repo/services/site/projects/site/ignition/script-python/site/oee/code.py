from global.constants import AREAS


def siteOee():
    """Average OEE over all areas, in percent."""
    paths = ["[default]%s/OEE/Value" % area for area in AREAS]
    values = [qv.value for qv in system.tag.readBlocking(paths) if qv.quality.isGood()]
    return round(100.0 * sum(values) / len(values), 1) if values else 0.0
