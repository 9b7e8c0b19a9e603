"""One exporter per format (listed in consult/reports/formats.py); each takes a Report and writes to a binary stream.

Every exporter renders the Report rebuilt from the published snapshot, so all six
files of a version say exactly what was published. ``progress`` (optional) is called
with a percentage as the work goes on; the background job stores it for the page
that waits for the file.
"""

from collections.abc import Callable

Progress = Callable[[int], None]


def no_progress(_percent: int) -> None:
    return None


class Ticker:
    """Turns "row i of n" into a percentage between ``start`` and ``end``, reported in steps."""

    def __init__(self, progress: Progress, total: int, start: int = 5, end: int = 95, step: int = 5):
        self.progress, self.total, self.start, self.end, self.step = progress, max(total, 1), start, end, step
        self.last = -step

    def __call__(self, done: int) -> None:
        percent = self.start + (self.end - self.start) * done // self.total
        if percent - self.last >= self.step:
            self.last = percent
            self.progress(percent)
