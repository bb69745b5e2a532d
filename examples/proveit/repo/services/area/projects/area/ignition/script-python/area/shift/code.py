SHIFTS = [("A", 6), ("B", 14), ("C", 22)]


def currentShift(now=None):
    """Name of the shift running at `now` (a java.util.Date), by start hour."""
    hour = (now or system.date.now()).getHours()
    name = SHIFTS[-1][0]
    for shift, start in SHIFTS:
        if hour >= start:
            name = shift
    return name
